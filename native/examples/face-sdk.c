/*
 * A stand-in face SDK that checks its license at init, with libseatlock linked in: replacing a
 * file on the board no longer turns it on, only patching this binary does. The license is checked
 * for the feature the application asks for; a feature the license lacks is refused (15).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "face-sdk.h"

struct face_sdk {
  char feature[64];
  char product[129];
};

face_sdk *face_sdk_init(const seatlock_options *where, const char *feature, int *code, char *message, size_t message_size) {
  seatlock_options options = *where;
  options.feature = feature;
  seatlock_result result;
  *code = seatlock_verify(&options, &result, 0);
  if (*code != SEATLOCK_VALID) {
    snprintf(message, message_size, "face SDK not licensed for %s (%d %s): %s", feature, result.code, result.status, result.message);
    return NULL;
  }
  face_sdk *sdk = calloc(1, sizeof *sdk);
  if (!sdk) return NULL;
  snprintf(sdk->feature, sizeof sdk->feature, "%s", feature);
  snprintf(sdk->product, sizeof sdk->product, "%s", result.product);
  snprintf(message, message_size, "face SDK licensed: %s (%s), %s", result.product, result.kind, feature);
  return sdk;
}

int face_sdk_run(face_sdk *sdk, const char *feature) {
  if (!sdk || strcmp(sdk->feature, feature) != 0) return SEATLOCK_FEATURE_NOT_LICENSED;
  return 0;
}

void face_sdk_close(face_sdk *sdk) { free(sdk); }
