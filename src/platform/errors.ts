/**
 * Expected failures of the domain. Each subclass has a stable static `code` and plain-JSON `details`,
 * so an error can cross the Durable Object RPC boundary as data and be revived on the other side as
 * the same class (the GraphQL layer maps classes to typed error results).
 */
export abstract class DomainError<Details extends object = object> extends Error {
  static readonly code: string;

  constructor(
    readonly details: Details,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }

  get code(): string {
    return (this.constructor as typeof DomainError).code;
  }

  toJSON(): SerializedDomainError {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export interface SerializedDomainError {
  code: string;
  message: string;
  details: object;
}

type DomainErrorClass = (abstract new (...args: never[]) => DomainError) & { code: string };
const classesByCode = new Map<string, DomainErrorClass>();

/** Makes error classes revivable by code; each module registers the errors its commands can return. */
export function registerDomainErrors(...errorClasses: DomainErrorClass[]): void {
  for (const errorClass of errorClasses) classesByCode.set(errorClass.code, errorClass);
}

export function reviveDomainError(serialized: SerializedDomainError): DomainError {
  const errorClass = classesByCode.get(serialized.code);
  if (!errorClass) throw new Error(`Unknown domain error code ${serialized.code}: ${serialized.message}`);
  const error = Object.create(errorClass.prototype) as DomainError;
  Object.defineProperties(error, {
    message: { value: serialized.message, writable: true, configurable: true },
    details: { value: serialized.details, enumerable: true },
    name: { value: errorClass.name, writable: true, configurable: true },
  });
  return error;
}

export interface InputIssue {
  path: string[];
  message: string;
}

/** Input that breaks a rule; `issues` point at the offending fields. */
export class InvalidInputError extends DomainError<{ issues: InputIssue[] }> {
  static override readonly code = 'INVALID_INPUT';
  constructor(issues: InputIssue[]) {
    super({ issues }, issues.map((issue) => [issue.path.join('.'), issue.message].filter(Boolean).join(': ')).join('; '));
  }
}

registerDomainErrors(InvalidInputError);
