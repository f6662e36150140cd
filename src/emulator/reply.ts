// What a route hands back to the server, and the Graph error it throws; kept apart so routes never touch HTTP.

/** A route's answer before it is written to the socket (or into a $batch item). */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A Graph error; the server turns it into the standard envelope (graph-api.md §0.2). */
export class GraphFault extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;
  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = "GraphFault";
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

export const notFound = (id: string): GraphFault =>
  new GraphFault(404, "Request_ResourceNotFound", `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);

export const badSegment = (segment: string): GraphFault => new GraphFault(400, "BadRequest", `Resource not found for the segment '${segment}'.`);

export const methodNotAllowed = (): GraphFault => new GraphFault(405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.");

/** Graph-style code for a status the emulator is told to fail with (fault rules), so bodies look like the real thing. */
export function codeForStatus(status: number): { code: string; message: string } {
  switch (status) {
    case 400:
      return { code: "BadRequest", message: "Bad request." };
    case 401:
      return { code: "InvalidAuthenticationToken", message: "Access token validation failure." };
    case 403:
      return { code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation." };
    case 404:
      return { code: "Request_ResourceNotFound", message: "Resource not found." };
    case 429:
      return { code: "TooManyRequests", message: "Too many requests." };
    case 500:
      return { code: "generalException", message: "An internal server error occurred." };
    case 502:
      return { code: "BadGateway", message: "Bad gateway." };
    case 503:
      return { code: "serviceNotAvailable", message: "Service unavailable." };
    case 504:
      return { code: "GatewayTimeout", message: "Gateway timeout." };
    default:
      return { code: "UnknownError", message: `HTTP ${status}.` };
  }
}

/** The §0.2 error envelope; 429 bodies also carry innerError code/status like Graph's throttling sample. */
export function errorBody(status: number, code: string, message: string, requestId: string, clientRequestId: string): unknown {
  const innerError: Record<string, string> = {
    date: new Date().toISOString().slice(0, 19),
    "request-id": requestId,
    "client-request-id": clientRequestId,
  };
  if (status === 429) Object.assign(innerError, { code: "429", status: "429" });
  return { error: { code, message, innerError } };
}
