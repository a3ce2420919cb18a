/*
 * libFuzzer target: what a device reads from files anyone with root can write. The first byte
 * picks the parser: 0 a license (parsed and verified against the corpus's root), 1 a revocation
 * list, 2 a clock record, 3 a factory bundle's index, 4 a device maker's config, 5 a certificate
 * (DER as a license's x5c carries it, its key checking its own signature, then as a PEM root).
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

extern const char FUZZ_ROOT[];

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
  if (size < 1) return 0;
  sl_arena arena = {0};
  const char *text = (const char *)data + 1;
  size_t length = size - 1;
  char *error = NULL;
  sl_roots *roots = sl_roots_parse(&arena, FUZZ_ROOT, &error);
  if (!roots) abort();
  sl_device device;
  memset(&device, 0, sizeof device);
  device.platform = "android";
  device.sys.arena = &arena;
  device.sys.root = "/nonexistent";
  sl_fingerprint_put(&arena, &device.fingerprint, "emmc.cid", "AAAAAAAAAAAAAAAAAAAAAA", 4, true);
  switch (data[0] % 6) {
    case 0: {
      sl_clock_option clock = {0, false, 0};
      sl_check_context context = {&device, roots, NULL, &clock, "face.liveness", 1.8e12};
      sl_parsed_license parsed;
      bool ok = sl_parse_license(&arena, text, length, &parsed, &error) == 0;
      sl_verdict verdict;
      sl_verify_parsed(&arena, ok ? &parsed : NULL, error, &context, &verdict);
      sl_verdict_release(&verdict);
      sl_parsed_license_release(&parsed);
      break;
    }
    case 1: {
      sl_revocations list;
      sl_verify_revocation_list(&arena, text, length, roots, &list, &error);
      break;
    }
    case 2: {
      char *texts[2] = {sl_strndup(&arena, text, length), NULL};
      size_t lengths[2] = {length, 0};
      sl_clock clock;
      sl_current_clock(&arena, texts, lengths, 2, &device, 1.8e12, false, &clock);
      if (clock.status == SL_CLOCK_OK) sl_seal_clock(&arena, &clock.record, device.clock_key, NULL);
      break;
    }
    case 3: {
      size_t *lengths;
      sl_bundle_candidates(&arena, &device.fingerprint, text, length, &lengths);
      break;
    }
    case 4: {
      sl_config config;
      sl_parse_config(&arena, text, length, "fuzz", &config, &error);
      break;
    }
    case 5: {
      sl_certificate certificate;
      if (sl_certificate_parse(data + 1, length, &certificate) == 0) {
        const char *alg = sl_certificate_alg(&certificate);
        sl_certificate_signed_by(&certificate, &roots->certificates[0]);
        if (alg) sl_certificate_verifies(&certificate, alg, certificate.tbs, certificate.tbs_length, certificate.signature, certificate.signature_length);
      }
      sl_roots_parse(&arena, sl_strndup(&arena, text, length), &error);
      break;
    }
  }
  sl_arena_free(&arena);
  return 0;
}
