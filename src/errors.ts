/**
 * Every error dslab raises on purpose: a stable `code` that tests and scripts can match,
 * a message that says what happened and what to do next, the field and value involved,
 * and the original error as `cause`.
 */

export type ErrorCode =
  | 'DSLAB_E_LAB_YAML'
  | 'DSLAB_E_LAB_UNKNOWN_KEY'
  | 'DSLAB_E_LAB_TYPE'
  | 'DSLAB_E_LAB_NAME'
  | 'DSLAB_E_LAB_ADDRESS'
  | 'DSLAB_E_LAB_SUBNET'
  | 'DSLAB_E_LAB_OUTSIDE_SUBNET'
  | 'DSLAB_E_LAB_DUPLICATE'
  | 'DSLAB_E_LAB_OVERLAP'
  | 'DSLAB_E_LAB_FAMILY'
  | 'DSLAB_E_LAB_REFERENCE'
  | 'DSLAB_E_LAB_RECORD'
  | 'DSLAB_E_LAB_ROLE'
  | 'DSLAB_E_LAB_FILE'
  | 'DSLAB_E_LAB_INVALID'
  | 'DSLAB_E_LAB_RESERVED'
  | 'DSLAB_E_LAB_ROUTER'
  | 'DSLAB_E_LAB_MTU'
  | 'DSLAB_E_LAB_AUTOCONF'
  | 'DSLAB_E_LAB_NAT64'
  | 'DSLAB_E_LAB_DNS64'
  | 'DSLAB_E_SLAAC_TIMEOUT'
  | 'DSLAB_E_NOT_PRIVILEGED'
  | 'DSLAB_E_TOOL_MISSING'
  | 'DSLAB_E_LAB_EXISTS'
  | 'DSLAB_E_LAB_NOT_FOUND'
  | 'DSLAB_E_STATE_UNSAFE'
  | 'DSLAB_E_KERNEL_LIMIT'
  | 'DSLAB_E_NODE_NOT_FOUND'
  | 'DSLAB_E_COMMAND_FAILED'
  | 'DSLAB_E_SERVICE_FAILED'
  | 'DSLAB_E_IPV6_UNAVAILABLE'
  | 'DSLAB_E_INTERRUPTED'
  | 'DSLAB_E_INJECTED_FAILURE'
  | 'DSLAB_E_USAGE'
  | 'DSLAB_E_CONNECT_FAILED'
  | 'DSLAB_E_CONNECT_TIMEOUT'
  | 'DSLAB_E_CONNECT_ABORTED'
  | 'DSLAB_E_RESOLVE_FAILED'
  | 'DSLAB_E_BAD_OPTION'
  | 'DSLAB_E_ADDR_INVALID'
  | 'DSLAB_E_ADDR_DOUBLE_COLON'
  | 'DSLAB_E_ADDR_TOO_MANY_GROUPS'
  | 'DSLAB_E_ADDR_TOO_FEW_GROUPS'
  | 'DSLAB_E_ADDR_GROUP_TOO_LONG'
  | 'DSLAB_E_ADDR_BAD_CHARACTER'
  | 'DSLAB_E_ADDR_PREFIX_LENGTH'
  | 'DSLAB_E_ADDR_ZONE'
  | 'DSLAB_E_ADDR_IPV4'
  | 'DSLAB_E_ADDR_MAC'
  | 'DSLAB_E_ADDR_SUBNET'
  | 'DSLAB_E_RUN_FAILED'
  | 'DSLAB_E_SERVICE_CONFIG'
  | 'DSLAB_E_DNS_CONFIG'
  | 'DSLAB_E_COREFILE'
  | 'DSLAB_E_DOCKER_MISSING'
  | 'DSLAB_E_DOCKER_FAILED'
  | 'DSLAB_E_DOCKER_IPV6'
  | 'DSLAB_E_NOT_IN_NODE'
  | 'DSLAB_E_TLS_UNTRUSTED'
  | 'DSLAB_E_FAULT_INVALID'
  | 'DSLAB_E_FAULT_NODE'
  | 'DSLAB_E_FAULT_ADDRESS'
  | 'DSLAB_E_FAULT_RANGE'
  | 'DSLAB_E_FAULT_MISMATCH'
  | 'DSLAB_E_FAULT_NAME'
  | 'DSLAB_E_FAULT_NOT_FOUND'
  | 'DSLAB_E_FAULT_UNSUPPORTED'
  | 'DSLAB_E_FAULT_APPLY'
  | 'DSLAB_E_SCENARIO_UNKNOWN'
  | 'DSLAB_E_MEASURE_FAILED'
  | 'DSLAB_E_INTERNAL';

/** The optional parts of a DslabError: the field and value involved, a hint, the cause and extra details. */
export interface DslabErrorOptions {
  /** Dotted path of the offending field, e.g. `nodes.web.addresses.dsnet.ipv4`. */
  field?: string;
  /** The offending value as the user wrote it. */
  value?: unknown;
  /** What to do about it: one sentence. */
  hint?: string;
  cause?: unknown;
  /** Extra structured data (e.g. the attempts of a failed connection). */
  details?: Record<string, unknown>;
}

export class DslabError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly value: unknown;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: DslabErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DslabError';
    this.code = code;
    this.field = options.field;
    this.value = options.value;
    this.hint = options.hint;
    this.details = options.details;
  }

  /** A plain object with the code and message, plus field, value, hint and details when set. */
  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      ...(this.field === undefined ? {} : { field: this.field }),
      ...(this.value === undefined ? {} : { value: this.value }),
      ...(this.hint === undefined ? {} : { hint: this.hint }),
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

export function isDslabError(err: unknown, code?: ErrorCode): err is DslabError {
  return err instanceof DslabError && (code === undefined || err.code === code);
}
