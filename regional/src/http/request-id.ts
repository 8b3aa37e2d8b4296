/** A client's `x-request-id` is kept when it is a sane token; anything else gets a fresh id. */
export const requestIdFrom = (header: string | undefined): string =>
  header !== undefined && /^[A-Za-z0-9._:-]{1,128}$/.test(header)
    ? header
    : `req_${crypto.randomUUID().replaceAll('-', '')}`;
