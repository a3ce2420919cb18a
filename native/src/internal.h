/* Internal helpers of libseatlock: every call allocates from its own arena, freed as one. */
#ifndef SEATLOCK_INTERNAL_H
#define SEATLOCK_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include <mbedtls/md.h>
#include "seatlock.h"

#define SL_MAX_SAFE_INTEGER 9007199254740991.0

typedef struct sl_chunk sl_chunk;
typedef struct sl_arena { sl_chunk *chunks; bool failed; } sl_arena;

void *sl_alloc(sl_arena *arena, size_t size);
void sl_arena_free(sl_arena *arena);
char *sl_strndup(sl_arena *arena, const char *text, size_t length);
char *sl_strdup(sl_arena *arena, const char *text);
char *sl_printf(sl_arena *arena, const char *format, ...) __attribute__((format(printf, 2, 3)));

/* A growing byte string (always NUL-terminated). */
typedef struct sl_buf { sl_arena *arena; char *data; size_t length, capacity; } sl_buf;
void sl_buf_init(sl_buf *buf, sl_arena *arena);
void sl_buf_add(sl_buf *buf, const char *data, size_t length);
void sl_buf_str(sl_buf *buf, const char *text);
void sl_buf_char(sl_buf *buf, char c);
void sl_buf_printf(sl_buf *buf, const char *format, ...) __attribute__((format(printf, 2, 3)));

/* A list of strings. */
typedef struct sl_list { char **items; size_t count, capacity; } sl_list;
void sl_list_add(sl_arena *arena, sl_list *list, char *item);
bool sl_list_has(const sl_list *list, const char *item);
void sl_list_sort(sl_list *list);

/* Text as JavaScript reads it: bytes decoded as UTF-8 with U+FFFD for bad sequences. */
char *sl_utf8(sl_arena *arena, const char *bytes, size_t length, size_t *out_length);
size_t sl_utf16_length(const char *text, size_t length);
bool sl_js_space(uint32_t cp);
uint32_t sl_next_cp(const char *text, size_t length, size_t *at);
char *sl_trim(sl_arena *arena, const char *text, size_t length);
void sl_json_string(sl_buf *buf, const char *text, size_t length);
void sl_js_number(sl_buf *buf, double value);

/* Files: NULL when unreadable. */
char *sl_read_file(sl_arena *arena, const char *path, size_t *length);
int sl_write_atomic(sl_arena *arena, const char *path, const char *data, size_t length, int mode, char **error);
int sl_private_dir(const char *path);

/* Encodings and digests (mbedTLS). */
char *sl_base64url(sl_arena *arena, const unsigned char *data, size_t length);
char *sl_base64(sl_arena *arena, const unsigned char *data, size_t length);
/* Decoding as Node's Buffer.from(text, 'base64'): both alphabets, other characters skipped, '=' ends. */
unsigned char *sl_base64_lenient(sl_arena *arena, const char *text, size_t length, size_t *out_length);
bool sl_base64url_canonical(sl_arena *arena, const char *segment, size_t length);
void sl_sha256(const void *data, size_t length, unsigned char out[32]);
void sl_hmac_sha256(const void *key, size_t key_length, const void *data, size_t length, unsigned char out[32]);

/* JSON values (jansson) read as JavaScript would. */
json_t *sl_json_parse(const char *text, size_t length);
bool sl_is_number(const json_t *value);
double sl_number(const json_t *value);
bool sl_is_safe_integer(const json_t *value);
bool sl_is_text(const json_t *value); /* a string of 1 to 128 UTF-16 units */

void sl_set_message(char *message, size_t size, const char *format, ...) __attribute__((format(printf, 3, 4)));
int64_t sl_now_ms(void);
void sl_random(unsigned char *out, size_t length);

/* ---- the device ---- */
typedef struct sl_sysroot { const char *root; sl_arena *arena; } sl_sysroot;
char *sl_sys_path(const sl_sysroot *sys, const char *relative);
char *sl_sys_text(const sl_sysroot *sys, const char *relative, size_t *length);
char *sl_sys_value(const sl_sysroot *sys, const char *relative);
sl_list sl_sys_list(const sl_sysroot *sys, const char *relative);
bool sl_sys_exists(const sl_sysroot *sys, const char *relative);
char *sl_sys_link(const sl_sysroot *sys, const char *relative);

typedef struct sl_spec { int weight; bool strong; } sl_spec;
typedef struct sl_reading { char *name; char *value; bool declared; sl_spec spec; } sl_reading;

typedef struct sl_declared_component { char *name; char *file; sl_spec spec; } sl_declared_component;
typedef struct sl_config {
  sl_declared_component *components; size_t count;
  sl_list state_dirs;
} sl_config;

typedef struct sl_component { char *name; char hash[23]; int weight; bool strong; } sl_component;
typedef struct sl_fingerprint { sl_component *items; size_t count, capacity; } sl_fingerprint;

typedef struct sl_device {
  const char *platform;
  sl_fingerprint fingerprint;
  sl_list declared;
  sl_list clock_dirs;
  unsigned char clock_key[32];
  sl_sysroot sys;
} sl_device;

/* 0, or SEATLOCK_USAGE with a message for an invalid configuration. */
int sl_parse_config(sl_arena *arena, const char *text, size_t length, const char *source, sl_config *config, char **error);
int sl_read_device(sl_arena *arena, const seatlock_options *options, sl_device *device, char **error);
const char *sl_detect_platform(const sl_sysroot *sys);
bool sl_component_spec(const char *name, sl_spec *spec);

char *sl_normalize(sl_arena *arena, const char *name, const char *raw);
bool sl_is_placeholder(sl_arena *arena, const char *name, const char *normalized);
void sl_hash_component(const char *name, const char *normalized, char out[23]);
void sl_fingerprint_put(sl_arena *arena, sl_fingerprint *fp, const char *name, const char *hash, int weight, bool strong);
const sl_component *sl_fingerprint_get(const sl_fingerprint *fp, const char *name);
bool sl_has_strong(const sl_fingerprint *fp);
void sl_fingerprint_json(sl_buf *buf, const sl_fingerprint *fp);

/* ---- licenses ---- */
typedef struct sl_claims {
  json_t *payload;           /* the claims object as signed */
  const char *jti, *sub, *product, *kind, *platform;
  sl_list features;
  sl_fingerprint fp; double threshold;
  bool has_declared; sl_list declared;
  double iat, nbf, exp;
  bool trial;
} sl_claims;

typedef struct sl_parsed_license {
  const char *jws; size_t jws_length;
  const char *alg, *kid;
  const char *x5c0;
  sl_claims claims;
  json_t *header;
} sl_parsed_license;

/* 0 when well-formed; otherwise a message. The caller json_decref's header and claims.payload. */
int sl_parse_license(sl_arena *arena, const char *text, size_t length, sl_parsed_license *out, char **error);
void sl_parsed_license_release(sl_parsed_license *parsed);

/* ---- certificates (certificate.c): pointers into the DER they were read from ---- */
typedef enum { SL_KEY_UNSUPPORTED, SL_KEY_RSA, SL_KEY_P256, SL_KEY_ED25519 } sl_key_type;
typedef struct sl_certificate {
  const unsigned char *der, *tbs; size_t der_length, tbs_length;
  int version;                                   /* 1 to 3 */
  const unsigned char *issuer, *subject; size_t issuer_length, subject_length; /* each Name's DER */
  double not_before_ms, not_after_ms;
  mbedtls_md_type_t signature_md;                /* the issuer's RSA PKCS#1 v1.5 digest; MBEDTLS_MD_NONE for any other algorithm */
  const unsigned char *signature; size_t signature_length;
  sl_key_type key_type; const char *kind;        /* kind: node:crypto's asymmetricKeyType */
  const unsigned char *key; size_t key_length;   /* RSA: the modulus; P-256: the uncompressed point; Ed25519: its 32 bytes */
  const unsigned char *exponent; size_t exponent_length; /* RSA */
  bool has_key_usage, digital_signature, key_cert_sign, crl_sign;
  bool has_basic_constraints, ca;
  bool has_extended_key_usage, license_signing_only;
} sl_certificate;
bool sl_same_bytes(const unsigned char *bytes, size_t length, const unsigned char *expected, size_t expected_length);
/* 0, or -1 for DER that is not a certificate with a key this library reads. */
int sl_certificate_parse(const unsigned char *der, size_t length, sl_certificate *out);
bool sl_certificate_signed_by(const sl_certificate *certificate, const sl_certificate *issuer);
/* jwsAlgorithmOf (shared/src/jws.ts): the algorithm the key signs with, NULL for none. */
const char *sl_certificate_alg(const sl_certificate *certificate);
/* A JWS signature by the certificate's key with `alg`, which must be the key's. */
bool sl_certificate_verifies(const sl_certificate *key, const char *alg, const void *data, size_t length, const unsigned char *sig, size_t sig_length);

typedef struct sl_roots { sl_certificate *certificates; size_t count; } sl_roots;
sl_roots *sl_roots_parse(sl_arena *arena, const char *pem, char **error);

typedef struct sl_revoked_issuer { char *kid; double after; } sl_revoked_issuer;
typedef struct sl_revocations {
  double serial; sl_list devices; sl_revoked_issuer *issuers; size_t issuer_count;
} sl_revocations;
int sl_verify_revocation_list(sl_arena *arena, const char *text, size_t length, sl_roots *roots, sl_revocations *out, char **error);

typedef struct sl_clock_option { double high_water_ms; bool has_uptime; double uptime_since_install_ms; } sl_clock_option;

typedef struct sl_verdict {
  int code; const char *status; char *message;
  bool has_license; sl_claims *license; json_t *payload;
  bool has_match; double score; sl_list matched, missing;
} sl_verdict;

typedef struct sl_check_context {
  sl_device *device; sl_roots *roots; sl_revocations *revocations;
  sl_clock_option *clock; const char *feature; double now_ms;
} sl_check_context;

/* Verifies one license as sl_parse_license read it, or refuses it with `error`, sl_parse_license's
 * message, when `parsed` is NULL; the verdict's payload is held (json_incref) until sl_verdict_release,
 * and `parsed` stays the caller's to release. */
void sl_verify_parsed(sl_arena *arena, const sl_parsed_license *parsed, const char *error, const sl_check_context *context, sl_verdict *verdict);
void sl_verdict_release(sl_verdict *verdict);
const char *sl_status_name(int code);

/* ---- the clock record ---- */
typedef struct sl_install_mark { char *id; double at; } sl_install_mark;
typedef struct sl_clock_record {
  double seq;
  double high_water_ms, uptime_ms, boot_uptime_ms; char *boot_id;
  sl_install_mark *installs; size_t install_count, install_capacity;
  double revocation_serial;
} sl_clock_record;
enum sl_clock_status { SL_CLOCK_OK, SL_CLOCK_MISSING, SL_CLOCK_TAMPERED };
typedef struct sl_clock { enum sl_clock_status status; sl_clock_record record; } sl_clock;

typedef struct sl_store { const char *home; const char *license_dir; } sl_store;
void sl_store_init(sl_arena *arena, sl_store *store, const char *home);
typedef struct sl_stored { char *file; char *text; size_t length; } sl_stored;
/* 0, or SEATLOCK_FAILED when a license file cannot be read. */
int sl_store_licenses(sl_arena *arena, const sl_store *store, sl_stored **out, size_t *count, char **error);
char **sl_store_read_clocks(sl_arena *arena, const sl_store *store, const sl_list *dirs, size_t *count, size_t **lengths);
int sl_store_write_clock(sl_arena *arena, const sl_store *store, const sl_list *dirs, const char *text, char **error);
char *sl_store_revocations_file(sl_arena *arena, const sl_store *store);

void sl_open_clocks(sl_arena *arena, char **texts, size_t *lengths, size_t count, const unsigned char key[32], sl_clock *out, bool *any_record);
double sl_seen_revocation_serial(sl_arena *arena, char **texts, size_t *lengths, size_t count, const unsigned char key[32]);
void sl_current_clock(sl_arena *arena, char **texts, size_t *lengths, size_t count, const sl_device *device, double now_ms, bool fresh, sl_clock *out);
char *sl_seal_clock(sl_arena *arena, const sl_clock_record *record, const unsigned char key[32], size_t *length);
void sl_clock_mark_install(sl_arena *arena, sl_clock_record *record, const char *id, double at);
bool sl_clock_install_of(const sl_clock_record *record, const char *id, double *at);
sl_clock_option sl_trial_clock_option(const sl_clock *clock, const char *license_id);

/* The licenses of a factory bundle filed under the fingerprint's strong hashes, unverified. */
sl_list sl_bundle_candidates(sl_arena *arena, const sl_fingerprint *fingerprint, const char *data, size_t size, size_t **lengths);

/* Embedded at build time (embedded.c, generated by the Makefile): NULL when none. */
extern const char *const sl_embedded_root;
extern const char *const sl_embedded_config;

#endif
