/*
 * seatlock-verify: the boot check and the factory steps for boards without Node, built from
 * libseatlock. Exit codes are the agent's: 0 valid, 2 usage, 10-17 verdicts, 1 other failures.
 *
 * The release build reads the real / only, with the root and the maker's config compiled in;
 * SEATLOCK_HOME alone may move the store. The development build (SEATLOCK_DEVELOPMENT) also reads
 * SEATLOCK_SYSROOT, SEATLOCK_CONFIG, SEATLOCK_TRUST_ROOT and FAKE_CLOCK_NOW, as the agent's
 * development bundle and its test clock do.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "seatlock.h"

static const char USAGE[] =
    "Usage: seatlock-verify <command> [options]\n\n"
    "  fingerprint [--json]               this device's platform and hashed components\n"
    "  request --code CODE --out FILE|DIR writes an offline activation request (in DIR: named after the device)\n"
    "  install FILE|BUNDLE                verifies a license file (or this device's own license in a\n"
    "                                     license bundle) against this device, then stores it\n"
    "  verify [--feature F] [--json]      the boot check\n\n"
    "verify exits 0 valid, 2 usage error, 10 no license, 11 invalid or untrusted, 12 device mismatch,\n"
    "13 expired, 14 clock rolled back, 15 feature not licensed, 16 platform mismatch, 17 revoked.\n"
#ifdef SEATLOCK_DEVELOPMENT
    "Environment: SEATLOCK_HOME, SEATLOCK_SYSROOT, SEATLOCK_CONFIG, SEATLOCK_TRUST_ROOT (development build).\n";
#else
    "Environment: SEATLOCK_HOME.\n";
#endif

static int usage(const char *why) {
  fprintf(stderr, "seatlock-verify: %s\n\n%s", why, USAGE);
  return SEATLOCK_USAGE;
}

#ifdef SEATLOCK_DEVELOPMENT
/* The whole file, or "" when it cannot be read: the library then answers as the agent does for an unreadable file. */
static char *read_all(const char *path) {
  FILE *file = fopen(path, "rb");
  if (!file) return strdup("");
  size_t size = 0, capacity = 4096;
  char *data = malloc(capacity);
  size_t n;
  while (data && (n = fread(data + size, 1, capacity - size - 1, file)) > 0) {
    size += n;
    if (capacity - size - 1 == 0) {
      char *grown = realloc(data, capacity *= 2);
      if (!grown) free(data);
      data = grown;
    }
  }
  fclose(file);
  if (!data) return strdup("");
  data[size] = 0;
  return data;
}

/* FAKE_CLOCK_NOW: epoch milliseconds or an ISO date (UTC), as test/support/fake-clock.cjs reads it. */
static int64_t fake_now(const char *text) {
  if (!text || !*text) return 0;
  char *end;
  long long ms = strtoll(text, &end, 10);
  if (*end == 0) return ms;
  struct tm tm = {0};
  int millis = 0;
  const char *rest = strptime(text, "%Y-%m-%dT%H:%M:%S", &tm);
  if (!rest) return 0;
  if (*rest == '.') {
    rest++;
    int digits = 0;
    while (*rest >= '0' && *rest <= '9') {
      if (digits < 3) millis = millis * 10 + (*rest - '0');
      digits++;
      rest++;
    }
    while (digits++ < 3) millis *= 10;
  }
  return (int64_t)timegm(&tm) * 1000 + millis;
}
#endif

typedef struct setting { seatlock_options options; char *root; char *config; } setting;

static void settings(setting *s) {
  memset(s, 0, sizeof *s);
  const char *home = getenv("SEATLOCK_HOME");
  s->options.home = home && *home ? home : NULL;
#ifdef SEATLOCK_DEVELOPMENT
  const char *sysroot = getenv("SEATLOCK_SYSROOT"), *root = getenv("SEATLOCK_TRUST_ROOT"), *config = getenv("SEATLOCK_CONFIG");
  s->options.sysroot = sysroot && *sysroot ? sysroot : "/";
  if (root && *root) s->options.trust_root_pem = s->root = read_all(root);
  if (config && *config) s->options.config_json = s->config = read_all(config);
  s->options.now_ms = fake_now(getenv("FAKE_CLOCK_NOW"));
#else
  s->options.sysroot = "/";
#endif
}

static void print_verdict(const seatlock_result *r) {
  if (r->code == SEATLOCK_VALID) {
    char until[64] = "";
    if (r->expires) {
      time_t t = (time_t)r->expires;
      struct tm tm;
      gmtime_r(&t, &tm);
      strftime(until, sizeof until, ", until %Y-%m-%dT%H:%M:%S.000Z", &tm);
    }
    printf("valid: %s (%s%s), license %s, device %s\n", r->product, r->kind, until, r->license_id, r->device_id);
  } else {
    fprintf(stderr, "not licensed (%d %s): %s\n", r->code, r->status, r->message);
  }
}

int main(int argc, char **argv) {
  if (argc < 2) return usage("no command given");
  const char *command = argv[1];
  if (strcmp(command, "--help") == 0 || strcmp(command, "help") == 0 || strcmp(command, "-h") == 0) {
    fputs(USAGE, stdout);
    return 0;
  }
  setting s;
  settings(&s);
  int code;
  if (strcmp(command, "verify") == 0 || strcmp(command, "fingerprint") == 0) {
    bool json = false;
    const char *feature = NULL;
    for (int i = 2; i < argc; i++) {
      if (strcmp(argv[i], "--json") == 0) json = true;
      else if (strcmp(command, "verify") == 0 && strcmp(argv[i], "--feature") == 0 && i + 1 < argc) feature = argv[++i];
      else if (strcmp(command, "verify") == 0 && strncmp(argv[i], "--feature=", 10) == 0) feature = argv[i] + 10;
      else { code = usage("unknown option"); goto done; }
    }
    if (strcmp(command, "verify") == 0) {
      s.options.feature = feature;
      seatlock_result result;
      code = seatlock_verify(&s.options, &result, json);
      if (code == SEATLOCK_FAILED || code == SEATLOCK_USAGE) fprintf(stderr, "seatlock-verify: %s\n", result.message);
      else if (json) printf("%s\n", result.json);
      else print_verdict(&result);
      seatlock_free(result.json);
    } else {
      char *out = NULL, message[512] = "";
      code = seatlock_fingerprint(&s.options, &out, message, sizeof message);
      if (code) fprintf(stderr, "seatlock-verify: %s\n", message);
      else printf("%s\n", out);
      seatlock_free(out);
    }
  } else if (strcmp(command, "request") == 0) {
    const char *activation = NULL, *out = NULL;
    for (int i = 2; i < argc; i++) {
      if (strcmp(argv[i], "--code") == 0 && i + 1 < argc) activation = argv[++i];
      else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) out = argv[++i];
      else { code = usage("unknown option"); goto done; }
    }
    if (!activation || !*activation) { code = usage("--code is required"); goto done; }
    if (!out || !*out) { code = usage("--out is required"); goto done; }
    char written[4096] = "", message[512] = "";
    code = seatlock_request(&s.options, activation, out, written, sizeof written, message, sizeof message);
    if (code) fprintf(stderr, "seatlock-verify: %s\n", message);
    else printf("activation request written to %s\n", written);
  } else if (strcmp(command, "install") == 0) {
    if (argc != 3) { code = usage("expected 1 argument(s)"); goto done; }
    seatlock_result result;
    code = seatlock_install(&s.options, argv[2], &result);
    if (code == SEATLOCK_USAGE && !result.license_id[0]) code = usage(result.message);
    else if (code) fprintf(stderr, "seatlock-verify: %s\n", result.message);
    else printf("%s\n", result.message);
  } else {
    code = usage("unknown command");
  }
done:
  free(s.root);
  free(s.config);
  return code;
}
