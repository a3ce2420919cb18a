import { ValidationPipe, type ValidationError } from '@nestjs/common';
import * as classTransformer from 'class-transformer';
import * as classValidator from 'class-validator';
import { isEmail, ValidateBy, type ValidationOptions } from 'class-validator';
import { SeatlockError } from '@seatlock/shared';

function describe(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => [
    ...Object.values(e.constraints ?? {}).map((m) => (prefix ? `${prefix}${m}` : m)),
    ...describe(e.children ?? [], `${prefix}${e.property}.`),
  ]);
}

/**
 * DTO validation whose failures are the contract's INVALID_REQUEST. The packages are handed
 * over, already loaded by the DTOs' decorators: left to the pipe, it imports them with
 * `import()`, which runs both through Node's ES-module loader on every start (about 0.25 s of
 * CPU).
 */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    validatorPackage: classValidator,
    transformerPackage: classTransformer,
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new SeatlockError('INVALID_REQUEST', describe(errors).join('; ') || 'Invalid request.'),
  });
}

/**
 * An email address. class-validator's IsEmail throws (a 500) on text with an unpaired surrogate,
 * which can never be an address: refused here first.
 */
export function IsEmailAddress(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    { name: 'isEmailAddress', validator: { validate: (value) => typeof value === 'string' && !/\p{Cs}/u.test(value) && isEmail(value), defaultMessage: (args) => `${args?.property ?? "email"} must be an email address` } },
    options,
  );
}
