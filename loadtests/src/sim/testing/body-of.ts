/** A response's JSON body, typed by the test that reads it (test helper). */
export const bodyOf = async <T>(response: Response | Promise<Response>): Promise<T> =>
  (await (await response).json()) as T;
