/** The CORS preflight the server specs send from Node, as an engine would before a non-simple call. */
export const sendPreflight = (url: string, origin: string, method: string, requestHeaders?: string): Promise<Response> =>
  fetch(url, {
    method: 'OPTIONS',
    headers: {
      Origin: origin,
      'Access-Control-Request-Method': method,
      ...(requestHeaders === undefined ? {} : { 'Access-Control-Request-Headers': requestHeaders }),
    },
  });
