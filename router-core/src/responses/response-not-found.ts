import { RouterError } from '../errors/router-error.ts';

/** 404 for an id this tenant has no stored response under (missing, expired or another's). */
export const responseNotFound = (id: string, param: string | null = null): RouterError =>
  new RouterError('not_found', `Response with id '${id}' not found.`, {
    ...(param === null ? {} : { param }),
  });
