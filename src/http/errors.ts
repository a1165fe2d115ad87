// The errors the http operators raise. Connection trouble keeps the net
// module's kinds (NetError, TimeoutError) so one `try` handler covers both
// modules; what is wrong at the HTTP level (a bad URL or dict, an error
// status for get-content/download, a handler's unusable response) is an
// HttpError. Native min surfaces Nim's exceptions here; the kind is min-ts's own.
import { MinError } from '../core/errors.js';

export const HTTP_ERROR = 'HttpError';

export const httpError = (message: string): MinError => new MinError(message, HTTP_ERROR);
