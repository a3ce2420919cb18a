/*
 * libseatlock: the SDK's own license check, verdict for verdict the same as `seatlock-agent verify`.
 *
 * Every function is reentrant: it keeps its state in the call (no static buffers, no caches), so
 * threads may call it at once. The only global data is what was compiled in: the root
 * certificate and the device maker's configuration (see the Makefile's ROOT= and CONFIG=). Nothing
 * is printed; a failure is a code plus a message in the caller's buffer.
 */
#ifndef SEATLOCK_H
#define SEATLOCK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The verdicts: the same numbers as `seatlock-agent verify`'s exit codes. */
enum seatlock_code {
  SEATLOCK_VALID = 0,
  SEATLOCK_FAILED = 1,      /* the check itself failed (a store that cannot be written, a weak fingerprint) */
  SEATLOCK_USAGE = 2,       /* bad arguments or an invalid device maker configuration */
  SEATLOCK_NO_LICENSE = 10,
  SEATLOCK_INVALID = 11,
  SEATLOCK_DEVICE_MISMATCH = 12,
  SEATLOCK_EXPIRED = 13,
  SEATLOCK_CLOCK_ROLLED_BACK = 14,
  SEATLOCK_FEATURE_NOT_LICENSED = 15,
  SEATLOCK_PLATFORM_MISMATCH = 16,
  SEATLOCK_REVOKED = 17
};

typedef struct seatlock_options {
  /* Root of every device read; NULL means "/". */
  const char *sysroot;
  /* The license store (SEATLOCK_HOME); NULL means /var/lib/seatlock. */
  const char *home;
  /* Feature about to run, e.g. "face.liveness"; NULL checks the license only. */
  const char *feature;
  /* Root certificate PEM text, used only when no root was compiled in (an embedded root wins). */
  const char *trust_root_pem;
  /* Device maker configuration JSON, used only when none was compiled in. */
  const char *config_json;
  /* Wall clock in milliseconds since the epoch; 0 reads the system clock. */
  int64_t now_ms;
} seatlock_options;

typedef struct seatlock_result {
  int code;               /* enum seatlock_code */
  char status[24];        /* "VALID", "DEVICE_MISMATCH", ... as the agent names them */
  char message[512];
  /* Filled once a license's signature was checked (empty strings otherwise). */
  char license_id[129];
  char device_id[129];
  char product[129];
  char kind[16];          /* "trial" or "perpetual" */
  int64_t expires;        /* trials: seconds since the epoch; 0 otherwise */
  double score;           /* matched weight over licensed weight */
  /* The whole verdict as the agent's `verify --json` prints it (NUL-terminated), when asked. */
  char *json;             /* malloc'ed when seatlock_verify's want_json is set; free with seatlock_free */
} seatlock_result;

/* The boot check. Returns result->code. Set want_json to also get result->json. */
int seatlock_verify(const seatlock_options *options, seatlock_result *result, int want_json);

/* This device's platform and hashed fingerprint as JSON (`fingerprint --json`); *json is malloc'ed. */
int seatlock_fingerprint(const seatlock_options *options, char **json, char *message, size_t message_size);

/* Writes an offline activation request to `out` (a file, or a directory: named after the device). */
int seatlock_request(const seatlock_options *options, const char *activation_code, const char *out,
                     char *written, size_t written_size, char *message, size_t message_size);

/* Verifies a license file, or this device's license in a factory bundle, and stores it. */
int seatlock_install(const seatlock_options *options, const char *file, seatlock_result *result);

/* Frees what the library allocated for the caller (result->json, a fingerprint's JSON). */
void seatlock_free(void *pointer);

#ifdef __cplusplus
}
#endif
#endif
