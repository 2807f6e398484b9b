/** An error a route throws on purpose; the error handler renders it in the user's language. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429,
    readonly messageKey: string = '',
    readonly params?: Record<string, string | number>,
  ) {
    super(messageKey || `HTTP ${statusCode}`);
  }
}

export const notFound = () => new HttpError(404);
export const forbidden = () => new HttpError(403);
