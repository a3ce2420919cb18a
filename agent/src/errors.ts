/** Failures of the agent itself (as opposed to a license verdict), each with a stable code. */
export type AgentErrorCode =
  | 'CONFIG_INVALID'
  | 'NO_TRUST_ROOT'
  | 'STORE_FAILED'
  | 'SERVER_UNREACHABLE'
  | 'ACTIVATION_REFUSED'
  | 'LICENSE_REFUSED'
  | 'REVOCATIONS_REFUSED'
  | 'WEAK_FINGERPRINT'
  | 'UNSUPPORTED_PLATFORM';

/**
 * An agent failure; callers branch on `code`. `exitCode` is set when the failure is a license
 * verdict (for example `install` refusing another device's license exits 12).
 *
 * @example throw new AgentError('CONFIG_INVALID', 'components[0].file must be a path.');
 */
export class AgentError extends Error {
  override readonly name = 'AgentError';

  constructor(
    readonly code: AgentErrorCode,
    message: string,
    readonly exitCode?: number,
  ) {
    super(message);
  }
}
