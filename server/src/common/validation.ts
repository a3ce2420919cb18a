import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { SeatlockError } from '@seatlock/shared';

function describe(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => [
    ...Object.values(e.constraints ?? {}).map((m) => (prefix ? `${prefix}${m}` : m)),
    ...describe(e.children ?? [], `${prefix}${e.property}.`),
  ]);
}

/** DTO validation whose failures are the contract's INVALID_REQUEST. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new SeatlockError('INVALID_REQUEST', describe(errors).join('; ') || 'Invalid request.'),
  });
}
