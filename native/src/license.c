/* Licenses, the certificate chain and revocation lists (shared/src/license, pki, revocation). */
#include <math.h>
#include <stdio.h>
#include <time.h>
#include <string.h>
#include "internal.h"

bool sl_component_name(const char *name);

#define CLOCK_TOLERANCE_MS (10.0 * 60 * 1000)
#define TRIAL_INSTALL_WINDOW_MS (7.0 * 24 * 60 * 60 * 1000)

static const char *PRODUCTS[] = {"face-detection", "face-liveness", "face-recognition"};
static const char *MODALITIES[] = {"ir", "structured-light-3d", "monocular"};
static const char *PLATFORMS[] = {"android", "hisilicon-dv300"};

static bool one_of(const char *value, const char **list, size_t count) {
  for (size_t i = 0; i < count; i++)
    if (strcmp(value, list[i]) == 0) return true;
  return false;
}

/* The body of an armored block, spaces, tabs and line breaks removed; NULL when there is none. */
static char *dearmor(sl_arena *arena, const char *label, const char *text, size_t length, size_t *out_length) {
  char *begin = sl_printf(arena, "-----BEGIN %s-----", label);
  char *end = sl_printf(arena, "-----END %s-----", label);
  const char *start = memmem(text, length, begin, strlen(begin));
  if (!start) return NULL;
  const char *body = start + strlen(begin);
  const char *stop = memmem(body, (size_t)(text + length - body), end, strlen(end));
  if (!stop) return NULL;
  sl_buf out;
  sl_buf_init(&out, arena);
  for (const char *p = body; p < stop; p++)
    if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n') sl_buf_char(&out, *p);
  *out_length = out.length;
  return out.data;
}

static json_t *decode_json_segment(sl_arena *arena, const char *segment, size_t length) {
  size_t n, m;
  unsigned char *bytes = sl_base64_lenient(arena, segment, length, &n);
  char *text = sl_utf8(arena, (const char *)bytes, n, &m);
  json_t *value = sl_json_parse(text, m);
  if (value && !json_is_object(value)) {
    json_decref(value);
    return NULL;
  }
  return value;
}

static bool is_int(const json_t *v) { return sl_is_safe_integer(v) && sl_number(v) >= 0; }

/* Reads the fingerprint a license is bound to (parseFingerprint): the registry's weights for known names. */
static const char *parse_fingerprint(sl_arena *arena, json_t *fp, sl_fingerprint *out) {
  memset(out, 0, sizeof *out);
  if (!json_is_object(fp)) return "expected an object";
  json_t *v = json_object_get(fp, "v");
  if (!sl_is_number(v) || sl_number(v) != 1) return "unsupported version (expected v: 1)";
  json_t *components = json_object_get(fp, "components");
  if (!json_is_object(components)) return "components must be an object";
  size_t count = json_object_size(components);
  if (count == 0 || count > 32) return "expected 1 to 32 components";
  const char *name;
  json_t *component;
  json_object_foreach(components, name, component) {
    if (!sl_component_name(name) || sl_utf16_length(name, strlen(name)) > 64) return "bad component name";
    json_t *h = json_is_object(component) ? json_object_get(component, "h") : NULL;
    json_t *w = json_is_object(component) ? json_object_get(component, "w") : NULL;
    json_t *s = json_is_object(component) ? json_object_get(component, "s") : NULL;
    if (!h || !json_is_string(h) || json_string_length(h) != 22) return "a component needs a 22-character base64url hash";
    for (const char *p = json_string_value(h); *p; p++)
      if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
        return "a component needs a 22-character base64url hash";
    if (strlen(json_string_value(h)) != 22) return "a component needs a 22-character base64url hash";
    if (!sl_is_safe_integer(w) || sl_number(w) < 1 || sl_number(w) > 10) {
      /* Number.isInteger also takes integers past 2^53, all of them far above 10. */
      return "a component needs a weight from 1 to 10";
    }
    if (!s || !json_is_boolean(s)) return "a component needs a boolean strong flag";
    sl_spec known;
    if (sl_component_spec(name, &known)) sl_fingerprint_put(arena, out, name, json_string_value(h), known.weight, known.strong);
    else sl_fingerprint_put(arena, out, name, json_string_value(h), (int)sl_number(w), json_is_true(s));
  }
  return NULL;
}

static const char *check_claims(sl_arena *arena, json_t *c, sl_claims *claims) {
  memset(claims, 0, sizeof *claims);
  claims->payload = c;
  json_t *v = json_object_get(c, "v");
  if (!sl_is_number(v) || sl_number(v) != 1) return "unsupported version";
  const char *names[] = {"jti", "sub", "cus", "pool"};
  for (size_t i = 0; i < 4; i++)
    if (!sl_is_text(json_object_get(c, names[i]))) return sl_printf(arena, "%s is missing", names[i]);
  claims->jti = json_string_value(json_object_get(c, "jti"));
  claims->sub = json_string_value(json_object_get(c, "sub"));
  json_t *kind = json_object_get(c, "kind");
  if (!json_is_string(kind) || (strcmp(json_string_value(kind), "trial") != 0 && strcmp(json_string_value(kind), "perpetual") != 0))
    return "kind must be trial or perpetual";
  claims->kind = json_string_value(kind);
  claims->trial = strcmp(claims->kind, "trial") == 0;
  json_t *product = json_object_get(c, "product");
  if (!json_is_string(product)) return "product is missing";
  if (!one_of(json_string_value(product), PRODUCTS, 3)) return "unknown product";
  claims->product = json_string_value(product);
  json_t *features = json_object_get(c, "features");
  if (!json_is_array(features)) return "features must be a list of names";
  for (size_t i = 0; i < json_array_size(features); i++) {
    json_t *f = json_array_get(features, i);
    if (!sl_is_text(f)) return "features must be a list of names";
    sl_list_add(arena, &claims->features, sl_strndup(arena, json_string_value(f), json_string_length(f)));
  }
  json_t *modality = json_object_get(c, "modality");
  if (!modality || (!json_is_null(modality) && !(json_is_string(modality) && one_of(json_string_value(modality), MODALITIES, 3))))
    return "unknown modality";
  json_t *platform = json_object_get(c, "platform");
  if (!json_is_string(platform) || !one_of(json_string_value(platform), PLATFORMS, 2)) return "unknown platform";
  claims->platform = json_string_value(platform);
  json_t *iat = json_object_get(c, "iat"), *nbf = json_object_get(c, "nbf"), *exp = json_object_get(c, "exp");
  if (!is_int(iat) || !is_int(nbf)) return "iat and nbf must be times";
  claims->iat = sl_number(iat);
  claims->nbf = sl_number(nbf);
  if (claims->trial ? !is_int(exp) : exp != NULL) return "only a trial carries exp, and a trial must";
  claims->exp = exp ? sl_number(exp) : 0;
  json_t *fp = json_object_get(c, "fp");
  json_t *threshold = json_is_object(fp) ? json_object_get(fp, "threshold") : NULL;
  if (!sl_is_number(threshold) || !(sl_number(threshold) > 0 && sl_number(threshold) <= 1)) return "fp.threshold must be in (0, 1]";
  claims->threshold = sl_number(threshold);
  const char *bad = parse_fingerprint(arena, fp, &claims->fp);
  if (bad) return sl_printf(arena, "fp: Invalid fingerprint: %s.", bad);
  json_t *declared = json_object_get(c, "declared");
  if (declared) {
    if (!json_is_array(declared)) return "declared must list components of fp";
    for (size_t i = 0; i < json_array_size(declared); i++) {
      json_t *name = json_array_get(declared, i);
      if (!json_is_string(name) || !sl_fingerprint_get(&claims->fp, json_string_value(name))) return "declared must list components of fp";
      sl_list_add(arena, &claims->declared, sl_strdup(arena, json_string_value(name)));
    }
    claims->has_declared = true;
  }
  return NULL;
}

void sl_parsed_license_release(sl_parsed_license *parsed) {
  json_decref(parsed->header);
  json_decref(parsed->claims.payload);
  parsed->header = NULL;
  parsed->claims.payload = NULL;
}

/* LICENSE_ALGS (shared/src/license/claims.ts). */
static bool license_alg(const char *alg) {
  return strcmp(alg, "PS256") == 0 || strcmp(alg, "ES256") == 0 || strcmp(alg, "EdDSA") == 0;
}

int sl_parse_license(sl_arena *arena, const char *text, size_t length, sl_parsed_license *out, char **error) {
  memset(out, 0, sizeof *out);
  size_t n;
  char *jws = dearmor(arena, "SEATLOCK LICENSE", text, length, &n);
#define MALFORMED(...) do { *error = sl_printf(arena, __VA_ARGS__); sl_parsed_license_release(out); return SEATLOCK_INVALID; } while (0)
  if (!jws || n == 0) MALFORMED("No SEATLOCK LICENSE block found.");
  char *first = memchr(jws, '.', n);
  char *second = first ? memchr(first + 1, '.', (size_t)(jws + n - first - 1)) : NULL;
  if (!first || !second || memchr(second + 1, '.', (size_t)(jws + n - second - 1)) ||
      !sl_base64url_canonical(arena, jws, (size_t)(first - jws)) ||
      !sl_base64url_canonical(arena, first + 1, (size_t)(second - first - 1)) ||
      !sl_base64url_canonical(arena, second + 1, (size_t)(jws + n - second - 1)))
    MALFORMED("The license is not a compact JWS.");
  out->jws = jws;
  out->jws_length = n;
  out->header = decode_json_segment(arena, jws, (size_t)(first - jws));
  if (!out->header) MALFORMED("The license header is not valid JSON.");
  json_t *alg = json_object_get(out->header, "alg"), *typ = json_object_get(out->header, "typ");
  json_t *kid = json_object_get(out->header, "kid"), *x5c = json_object_get(out->header, "x5c");
  if (!json_is_string(alg) || !license_alg(json_string_value(alg))) MALFORMED("The license algorithm must be one of PS256, ES256, EdDSA.");
  if (!json_is_string(typ) || strcmp(json_string_value(typ), "seatlock-license+jws") != 0) MALFORMED("The signed artifact is not a license.");
  bool strings = json_is_array(x5c) && json_array_size(x5c) >= 1;
  for (size_t i = 0; strings && i < json_array_size(x5c); i++) strings = json_is_string(json_array_get(x5c, i));
  if (!sl_is_text(kid) || !strings) MALFORMED("The license header lacks its issuing certificate.");
  if (json_object_get(out->header, "crit")) MALFORMED("The license header has unsupported critical parameters.");
  out->alg = json_string_value(alg);
  out->kid = json_string_value(kid);
  out->x5c0 = json_string_value(json_array_get(x5c, 0));
  json_t *payload = decode_json_segment(arena, first + 1, (size_t)(second - first - 1));
  if (!payload) MALFORMED("The license payload is not valid JSON.");
  const char *bad = check_claims(arena, payload, &out->claims);
  out->claims.payload = payload;
  if (bad) MALFORMED("The license claims are invalid: %s.", bad);
#undef MALFORMED
  return 0;
}

/* ---- the chain (shared/src/pki) ---- */
static bool valid_at(const sl_certificate *certificate, double at_ms) {
  /* new Date(iat * 1000) past the Date range is Invalid Date: never within validity. */
  if (!(at_ms <= 8.64e15)) return false;
  return certificate->not_before_ms <= at_ms && at_ms <= certificate->not_after_ms;
}

/* OpenSSL's X509_check_ca, which node:crypto's `ca` answers. */
static bool is_ca(const sl_certificate *certificate) {
  if (certificate->has_key_usage && !certificate->key_cert_sign) return false;
  if (certificate->has_basic_constraints) return certificate->ca;
  if (certificate->version == 1 && sl_same_bytes(certificate->subject, certificate->subject_length, certificate->issuer, certificate->issuer_length)) return true;
  return certificate->has_key_usage;
}

static const char *policy_violation(const sl_certificate *issuing) {
  if (issuing->has_basic_constraints && issuing->ca) return "the signing certificate is a CA certificate";
  if (!issuing->has_key_usage || !issuing->digital_signature || issuing->key_cert_sign || issuing->crl_sign)
    return "the signing certificate is not for digital signatures (key usage)";
  if (!issuing->has_extended_key_usage || !issuing->license_signing_only)
    return "the signing certificate is not a Seatlock license-signing certificate (extended key usage)";
  return NULL;
}

/* checkIssuingChain: NULL when the issuing certificate chains to a root and may sign licenses at `at_ms`. */
static const char *check_chain(const sl_certificate *issuing, const sl_roots *roots, double at_ms) {
  if (!valid_at(issuing, at_ms)) return "the signing certificate was not valid when the license was issued";
  for (size_t i = 0; i < roots->count; i++) {
    const sl_certificate *root = &roots->certificates[i];
    if (!is_ca(root)) continue;
    if (!sl_same_bytes(issuing->issuer, issuing->issuer_length, root->subject, root->subject_length)) continue;
    if (!sl_certificate_signed_by(issuing, root)) continue;
    const char *violation = policy_violation(issuing);
    if (violation) return violation;
    if (!valid_at(root, at_ms)) return "the root certificate was not valid when the license was issued";
    return NULL;
  }
  return "the signing certificate does not chain to a trusted root";
}

static char *certificate_kid(sl_arena *arena, const unsigned char *der, size_t length) {
  unsigned char hash[32];
  sl_sha256(der, length, hash);
  return sl_base64url(arena, hash, 32);
}

/* jose's base64url decoding on Node without Uint8Array.fromBase64: atob's forgiving decode. */
static unsigned char *jose_b64u(sl_arena *arena, const char *text, size_t length, size_t *out_length) {
  sl_buf clean;
  sl_buf_init(&clean, arena);
  for (size_t i = 0; i < length; i++) {
    char c = text[i];
    if (c == '+' || c == '/') return NULL;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r') continue;
    sl_buf_char(&clean, c);
  }
  size_t n = clean.length;
  if (n % 4 == 0 && n > 0 && clean.data[n - 1] == '=') {
    n--;
    if (clean.data[n - 1] == '=') n--;
  }
  if (n % 4 == 1) return NULL;
  for (size_t i = 0; i < n; i++) {
    char c = clean.data[i];
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return NULL;
  }
  return sl_base64_lenient(arena, clean.data, n, out_length);
}

/* ---- revocation lists (shared/src/revocation) ---- */
int sl_verify_revocation_list(sl_arena *arena, const char *text, size_t length, sl_roots *roots, sl_revocations *out, char **error) {
  memset(out, 0, sizeof *out);
  size_t n;
  json_t *header = NULL, *value = NULL;
  int status = SEATLOCK_INVALID;
#define REFUSE(...) do { *error = sl_printf(arena, __VA_ARGS__); goto done; } while (0)
  char *jws = dearmor(arena, "SEATLOCK REVOCATION LIST", text, length, &n);
  if (!jws || n == 0) REFUSE("No SEATLOCK REVOCATION LIST block found.");
  size_t dots = 0;
  char *parts[6] = {jws};
  for (size_t i = 0; i < n; i++)
    if (jws[i] == '.' && dots < 5) parts[++dots] = jws + i + 1;
  size_t all_dots = 0;
  for (size_t i = 0; i < n; i++) all_dots += jws[i] == '.';
  if (all_dots != 2 && all_dots != 4) REFUSE("The revocation list is damaged: Invalid Token or Protected Header formatting");
  size_t header_length = (size_t)(parts[1] - 1 - parts[0]);
  size_t m;
  unsigned char *header_bytes = header_length ? jose_b64u(arena, parts[0], header_length, &m) : NULL;
  if (header_bytes) {
    size_t tn;
    char *header_text = sl_utf8(arena, (const char *)header_bytes, m, &tn);
    header = sl_json_parse(header_text, tn);
  }
  if (!header || !json_is_object(header)) REFUSE("The revocation list is damaged: Invalid Token or Protected Header formatting");
  json_t *typ = json_object_get(header, "typ");
  if (!json_is_string(typ) || strcmp(json_string_value(typ), "seatlock-revocation-list+jws") != 0) REFUSE("The signed artifact is not a revocation list.");
  json_t *kid = json_object_get(header, "kid");
  const sl_certificate *root = NULL;
  for (size_t i = 0; kid && json_is_string(kid) && i < roots->count; i++) {
    char *root_kid = certificate_kid(arena, roots->certificates[i].der, roots->certificates[i].der_length);
    if (strcmp(root_kid, json_string_value(kid)) == 0 && json_string_length(kid) == strlen(root_kid)) { root = &roots->certificates[i]; break; }
  }
  if (!root) REFUSE("The revocation list is not signed by a trusted root.");
  if (all_dots != 2) REFUSE("The revocation list signature does not verify: Invalid Compact JWS");
  json_t *alg = json_object_get(header, "alg");
  if (!json_is_string(alg) || json_string_length(alg) == 0) REFUSE("The revocation list signature does not verify: missing alg");
  if (json_object_get(header, "crit")) REFUSE("The revocation list signature does not verify: unsupported crit");
  if (strcmp(json_string_value(alg), "PS256") != 0) REFUSE("The revocation list signature does not verify: \"alg\" (Algorithm) Header Parameter value not allowed");
  size_t payload_length = (size_t)(parts[2] - 1 - parts[1]);
  size_t signature_length, payload_bytes_length;
  unsigned char *signature = jose_b64u(arena, parts[2], (size_t)(jws + n - parts[2]), &signature_length);
  if (!signature) REFUSE("The revocation list signature does not verify: bad signature encoding");
  if (!sl_certificate_verifies(root, "PS256", jws, (size_t)(parts[2] - 1 - jws), signature, signature_length)) REFUSE("The revocation list signature does not verify: signature verification failed");
  unsigned char *payload = jose_b64u(arena, parts[1], payload_length, &payload_bytes_length);
  if (!payload) REFUSE("The revocation list signature does not verify: bad payload encoding");
  size_t tn;
  char *payload_text = sl_utf8(arena, (const char *)payload, payload_bytes_length, &tn);
  value = sl_json_parse(payload_text, tn);
  if (!value) REFUSE("The revocation list is not valid JSON.");
  json_t *v = json_is_object(value) ? json_object_get(value, "v") : NULL;
  if (!sl_is_number(v) || sl_number(v) != 1) REFUSE("The revocation list is invalid: unsupported version.");
  json_t *serial = json_object_get(value, "serial"), *iat = json_object_get(value, "iat");
  if (!is_int(serial) || sl_number(serial) < 1) REFUSE("The revocation list is invalid: serial must be a whole number above 0.");
  if (!is_int(iat)) REFUSE("The revocation list is invalid: iat must be a time.");
  json_t *devices = json_object_get(value, "devices"), *issuers = json_object_get(value, "issuers");
  bool ok = json_is_array(devices);
  for (size_t i = 0; ok && i < json_array_size(devices); i++) ok = sl_is_text(json_array_get(devices, i));
  if (!ok) REFUSE("The revocation list is invalid: devices must be a list of ids.");
  ok = json_is_array(issuers);
  for (size_t i = 0; ok && i < json_array_size(issuers); i++) {
    json_t *entry = json_array_get(issuers, i);
    ok = json_is_object(entry) && sl_is_text(json_object_get(entry, "kid")) && is_int(json_object_get(entry, "after"));
  }
  if (!ok) REFUSE("The revocation list is invalid: issuers must be a list of {kid, after}.");
  out->serial = sl_number(serial);
  for (size_t i = 0; i < json_array_size(devices); i++) {
    json_t *d = json_array_get(devices, i);
    sl_list_add(arena, &out->devices, sl_strndup(arena, json_string_value(d), json_string_length(d)));
  }
  out->issuer_count = json_array_size(issuers);
  out->issuers = sl_alloc(arena, (out->issuer_count + 1) * sizeof(sl_revoked_issuer));
  for (size_t i = 0; i < out->issuer_count; i++) {
    json_t *entry = json_array_get(issuers, i);
    json_t *k = json_object_get(entry, "kid");
    out->issuers[i].kid = sl_strndup(arena, json_string_value(k), json_string_length(k));
    out->issuers[i].after = sl_number(json_object_get(entry, "after"));
  }
  status = 0;
#undef REFUSE
done:
  json_decref(header);
  json_decref(value);
  return status;
}

static const char *revocation_of(sl_arena *arena, const sl_revocations *list, const sl_claims *license, const char *kid) {
  if (sl_list_has(&list->devices, license->sub)) return sl_printf(arena, "device %s is revoked (revocation list %.0f)", license->sub, list->serial);
  for (size_t i = 0; i < list->issuer_count; i++) {
    if (strcmp(list->issuers[i].kid, kid) != 0) continue;
    if (license->iat > list->issuers[i].after)
      return sl_printf(arena, "its issuing key %s was retired or revoked before the license's date (revocation list %.0f)", kid, list->serial);
    return NULL;
  }
  return NULL;
}

/* ---- the verdict (shared/src/license/verify.ts) ---- */
static const struct { int code; const char *name; } STATUSES[] = {
  {0, "VALID"}, {2, "USAGE"}, {10, "NO_LICENSE"}, {11, "INVALID"}, {12, "DEVICE_MISMATCH"}, {13, "EXPIRED"},
  {14, "CLOCK_ROLLED_BACK"}, {15, "FEATURE_NOT_LICENSED"}, {16, "PLATFORM_MISMATCH"}, {17, "REVOKED"},
};

const char *sl_status_name(int code) {
  for (size_t i = 0; i < sizeof STATUSES / sizeof *STATUSES; i++)
    if (STATUSES[i].code == code) return STATUSES[i].name;
  return "FAILED";
}

static void set_verdict(sl_verdict *verdict, int code, char *message) {
  verdict->code = code;
  verdict->status = sl_status_name(code);
  verdict->message = message;
}

void sl_verdict_release(sl_verdict *verdict) {
  json_decref(verdict->payload);
  verdict->payload = NULL;
}

static char *iso_date(sl_arena *arena, double ms) {
  time_t seconds = (time_t)floor(ms / 1000);
  struct tm tm;
  gmtime_r(&seconds, &tm);
  return sl_printf(arena, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                   (int)(ms - floor(ms / 1000) * 1000));
}

void sl_verify_parsed(sl_arena *arena, const sl_parsed_license *parsed, const char *error, const sl_check_context *context, sl_verdict *verdict) {
  memset(verdict, 0, sizeof *verdict);
  if (!parsed) {
    set_verdict(verdict, SEATLOCK_INVALID, sl_printf(arena, "The license is invalid: %s", error));
    return;
  }
  size_t der_length;
  unsigned char *der = sl_base64_lenient(arena, parsed->x5c0, strlen(parsed->x5c0), &der_length);
  sl_certificate issuing;
  if (strcmp(certificate_kid(arena, der, der_length), parsed->kid) != 0) {
    set_verdict(verdict, SEATLOCK_INVALID, sl_strdup(arena, "The license key id does not name its certificate."));
    return;
  }
  if (sl_certificate_parse(der, der_length, &issuing) != 0) {
    set_verdict(verdict, SEATLOCK_INVALID, sl_strdup(arena, "The license is invalid: the issuing certificate cannot be read."));
    return;
  }
  const char *chain = check_chain(&issuing, context->roots, parsed->claims.iat * 1000);
  if (chain) {
    set_verdict(verdict, SEATLOCK_INVALID, sl_printf(arena, "The license is not trusted: %s.", chain));
    return;
  }
  const char *signature_start = memrchr(parsed->jws, '.', parsed->jws_length) + 1;
  size_t signature_length;
  unsigned char *signature = sl_base64_lenient(arena, signature_start, (size_t)(parsed->jws + parsed->jws_length - signature_start), &signature_length);
  const char *key_signs_with = sl_certificate_alg(&issuing);
  if (!key_signs_with) {
    set_verdict(verdict, SEATLOCK_INVALID, sl_printf(arena, "The license is invalid: a %s key signs with none of PS256, ES256, EdDSA", issuing.kind));
    return;
  }
  if (strcmp(key_signs_with, parsed->alg) != 0) {
    set_verdict(verdict, SEATLOCK_INVALID, sl_printf(arena, "The license algorithm %s does not fit its certificate's key.", parsed->alg));
    return;
  }
  bool verified = sl_certificate_verifies(&issuing, parsed->alg, parsed->jws, (size_t)(signature_start - 1 - parsed->jws), signature, signature_length);
  if (!verified) {
    set_verdict(verdict, SEATLOCK_INVALID, sl_strdup(arena, "The license is invalid: signature verification failed"));
    return;
  }
  sl_claims *license = sl_alloc(arena, sizeof *license);
  *license = parsed->claims;
  verdict->has_license = true;
  verdict->license = license;
  verdict->payload = json_incref(parsed->claims.payload);
  if (context->revocations) {
    const char *revoked = revocation_of(arena, context->revocations, license, parsed->kid);
    if (revoked) {
      set_verdict(verdict, SEATLOCK_REVOKED, sl_printf(arena, "The license is revoked: %s.", revoked));
      return;
    }
  }
  if (context->device && strcmp(context->device->platform, license->platform) != 0) {
    set_verdict(verdict, SEATLOCK_PLATFORM_MISMATCH, sl_printf(arena, "The license is for %s; this device is %s.", license->platform, context->device->platform));
    return;
  }
  /* The components this device presents, less those the license says were declared and this build does not declare. */
  double total = 0, matched_weight = 0;
  bool strong_matched = false;
  for (size_t i = 0; i < license->fp.count; i++) {
    const sl_component *c = &license->fp.items[i];
    total += c->weight;
    bool foreign = license->has_declared && sl_list_has(&license->declared, c->name) && !sl_list_has(&context->device->declared, c->name);
    const sl_component *seen = foreign ? NULL : sl_fingerprint_get(&context->device->fingerprint, c->name);
    if (seen && strcmp(seen->hash, c->hash) == 0) {
      sl_list_add(arena, &verdict->matched, c->name);
      matched_weight += c->weight;
      strong_matched = strong_matched || c->strong;
    } else {
      sl_list_add(arena, &verdict->missing, c->name);
    }
  }
  verdict->has_match = true;
  verdict->score = total == 0 ? 0 : matched_weight / total;
  if (!(strong_matched && verdict->score >= license->threshold)) {
    set_verdict(verdict, SEATLOCK_DEVICE_MISMATCH, sl_strdup(arena, "The license belongs to another device."));
    return;
  }
  if (license->trial) {
    double now_ms = context->now_ms;
    double high_water_ms = context->clock ? context->clock->high_water_ms : 0;
    if (now_ms < high_water_ms - CLOCK_TOLERANCE_MS || now_ms < license->nbf * 1000 - CLOCK_TOLERANCE_MS) {
      set_verdict(verdict, SEATLOCK_CLOCK_ROLLED_BACK, sl_strdup(arena, "The device clock is behind time it has already seen; a trial cannot run."));
      return;
    }
    double exp_ms = license->exp * 1000;
    double by_uptime = license->iat * 1000 + (context->clock && context->clock->has_uptime ? context->clock->uptime_since_install_ms : 0);
    double latest = now_ms > high_water_ms ? now_ms : high_water_ms;
    if (latest >= exp_ms || by_uptime >= exp_ms) {
      set_verdict(verdict, SEATLOCK_EXPIRED, sl_printf(arena, "The trial expired on %s.", iso_date(arena, exp_ms)));
      return;
    }
    double install_by = license->iat * 1000 + TRIAL_INSTALL_WINDOW_MS;
    if (context->clock && !context->clock->has_uptime && latest > install_by) {
      set_verdict(verdict, SEATLOCK_EXPIRED,
                  sl_printf(arena, "This trial license could be installed until %s, 7 days after its issue, and this device holds no record of it.", iso_date(arena, install_by)));
      return;
    }
  }
  if (context->feature && !sl_list_has(&license->features, context->feature)) {
    set_verdict(verdict, SEATLOCK_FEATURE_NOT_LICENSED, sl_printf(arena, "The license (%s) does not include %s.", license->product, context->feature));
    return;
  }
  set_verdict(verdict, SEATLOCK_VALID, sl_printf(arena, "Licensed: %s (%s).", license->product, license->kind));
}
