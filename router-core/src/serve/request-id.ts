const CLIENT_ID = /^[\w.:-]{1,128}$/;

/**
 * The request's id at either door: the client's `x-request-id` when it is a sane token (1-128
 * letters, digits, `_ . : -`), else a fresh `req_<32 hex>`.
 */
export const requestIdFrom = (header: string | null | undefined): string =>
  header != null && CLIENT_ID.test(header)
    ? header
    : `req_${crypto.randomUUID().replaceAll('-', '')}`;
