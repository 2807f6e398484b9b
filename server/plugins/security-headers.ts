import type { FastifyInstance } from 'fastify';

/** Strict CSP: scripts only from this origin and only with this response's nonce; no inline, no eval. */
export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'same-origin');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Cross-Origin-Opener-Policy', 'same-origin');
    reply.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
    if (app.config.cookieSecure) reply.header('Strict-Transport-Security', 'max-age=31536000');
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('text/html')) {
      reply.header(
        'Content-Security-Policy',
        `default-src 'self'; script-src 'self' 'nonce-${req.nonce}'; style-src 'self'; img-src 'self' data:; ` +
          `connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`,
      );
      if (req.user) reply.header('Cache-Control', 'no-store');
    }
    return payload;
  });
}
