import { randomBytes } from 'node:crypto';
import { html, type Html } from '../html';

/** A form's one-time token (server/prg.ts): a second submission of this very form does nothing new. */
export function formTokenField(): Html {
  return html`<input type="hidden" name="ft" value="${randomBytes(18).toString('base64url')}">`;
}
