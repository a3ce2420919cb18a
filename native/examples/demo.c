/*
 * face-sdk-demo FEATURE: an application of the stand-in SDK. The board's paths come from the same
 * variables the development command reads (SEATLOCK_SYSROOT, SEATLOCK_HOME, SEATLOCK_TRUST_ROOT),
 * so the demo runs against a captured board; a product passes its own fixed options instead.
 * Exits 0 when licensed, else the verdict's code.
 */
#include <stdio.h>
#include <stdlib.h>
#include "face-sdk.h"

static char *read_file(const char *path) {
  FILE *file = path ? fopen(path, "rb") : NULL;
  if (!file) return NULL;
  static char text[65536];
  size_t n = fread(text, 1, sizeof text - 1, file);
  fclose(file);
  text[n] = 0;
  return text;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: face-sdk-demo FEATURE\n");
    return 2;
  }
  seatlock_options where = {0};
  where.sysroot = getenv("SEATLOCK_SYSROOT");
  where.home = getenv("SEATLOCK_HOME");
  where.trust_root_pem = read_file(getenv("SEATLOCK_TRUST_ROOT"));
  int code;
  char message[1024];
  face_sdk *sdk = face_sdk_init(&where, argv[1], &code, message, sizeof message);
  puts(message);
  if (!sdk) return code;
  code = face_sdk_run(sdk, argv[1]);
  face_sdk_close(sdk);
  return code;
}
