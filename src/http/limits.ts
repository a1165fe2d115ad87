// How much of a body the http module keeps in memory, by default. A server's
// `max-body` bounds the request bodies it takes (as nginx's
// client_max_body_size); a request's `max-body` bounds the response body it
// keeps (that body becomes a string). A download streams into its file and
// needs no such bound.
export const DEFAULT_MAX_REQUEST_BODY = 1 << 20;
export const DEFAULT_MAX_RESPONSE = 64 << 20;
