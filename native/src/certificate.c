/*
 * X.509 certificates, read as far as Seatlock's chain checks look (shared/src/pki): DER walked with
 * mbedTLS's ASN.1 reader, signatures verified by mbedTLS (RSA), BearSSL (P-256) and libsodium
 * (Ed25519). mbedTLS 2.28's own certificate parser reads no Ed25519 key, and with it Debian's
 * static mbedTLS links its self-test certificates and every cipher its PEM and key-file readers
 * can decrypt: about 180 KB of the 400 KB an armhf command may take.
 */
#include <string.h>
#include <bearssl/bearssl_ec.h>
#include <mbedtls/asn1.h>
#include <mbedtls/base64.h>
#include <mbedtls/oid.h>
#include <mbedtls/pk.h>
#include <mbedtls/rsa.h>
#include <sodium/crypto_sign_ed25519.h>
#include "internal.h"

/* DER content of id-ce-keyUsage, id-ce-basicConstraints, id-ce-extKeyUsage (2.5.29.15, .19, .37). */
static const unsigned char KEY_USAGE_OID[] = {0x55, 0x1d, 0x0f};
static const unsigned char BASIC_CONSTRAINTS_OID[] = {0x55, 0x1d, 0x13};
static const unsigned char EXTENDED_KEY_USAGE_OID[] = {0x55, 0x1d, 0x25};
/* DER content of the license-signing extended key usage, 2.25.145220907956207149811230557580617560965.1 */
static const unsigned char LICENSE_SIGNING_EKU[] = {0x69, 0x81, 0xda, 0xc0, 0xc3, 0xe3, 0xd0, 0xc8, 0x92, 0x9f, 0x97,
                                                    0x87, 0xca, 0xb8, 0xec, 0xc1, 0x87, 0x9e, 0xe7, 0x05, 0x01};
/* DER content of rsaEncryption (1.2.840.113549.1.1.1) and id-ecPublicKey (1.2.840.10045.2.1). */
static const unsigned char RSA_OID[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01};
static const unsigned char EC_OID[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};
/* The whole subjectPublicKeyInfo of a P-256 key naming its curve (prime256v1) and holding an
 * uncompressed point, up to the point: node:crypto reads no namedCurve from explicit curve
 * parameters, so only this form is ES256. */
static const unsigned char P256_SPKI_PREFIX[] = {0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
                                                 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00};
/* The whole subjectPublicKeyInfo of an Ed25519 key (RFC 8410 §4: id-Ed25519, no parameters) up to its 32 bytes. */
static const unsigned char ED25519_SPKI_PREFIX[] = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
/* DER content of id-Ed448 (1.3.101.113), a key node:crypto reads and that signs no license. */
static const unsigned char ED448_OID[] = {0x2b, 0x65, 0x71};

bool sl_same_bytes(const unsigned char *bytes, size_t length, const unsigned char *expected, size_t expected_length) {
  return length == expected_length && memcmp(bytes, expected, length) == 0;
}

/* One element with `tag` at *p, its contents in [*p, *p + *length) on return. */
static bool element(unsigned char **p, const unsigned char *end, int tag, size_t *length) {
  return mbedtls_asn1_get_tag(p, end, length, tag) == 0;
}

/* The whole element at *p (tag and length included), *p moved past it. */
static bool whole(unsigned char **p, const unsigned char *end, int tag, const unsigned char **start, size_t *length) {
  *start = *p;
  size_t n;
  if (!element(p, end, tag, &n)) return false;
  *p += n;
  *length = (size_t)(*p - *start);
  return true;
}

static bool digits(const unsigned char *p, int count, int *value) {
  *value = 0;
  for (int i = 0; i < count; i++) {
    if (p[i] < '0' || p[i] > '9') return false;
    *value = *value * 10 + (p[i] - '0');
  }
  return true;
}

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = (unsigned)(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (int64_t)doe - 719468;
}

/* A Time (RFC 5280 §4.1.2.5): UTCTime YYMMDDHHMMSSZ (years 1950 to 2049) or GeneralizedTime YYYYMMDDHHMMSSZ. */
static bool read_time(unsigned char **p, const unsigned char *end, double *ms) {
  size_t n;
  int year, month, day, hour, minute, second;
  bool utc = *p < end && **p == MBEDTLS_ASN1_UTC_TIME;
  if (!element(p, end, utc ? MBEDTLS_ASN1_UTC_TIME : MBEDTLS_ASN1_GENERALIZED_TIME, &n) || n != (utc ? 13u : 15u)) return false;
  const unsigned char *t = *p;
  *p += n;
  if (!digits(t, utc ? 2 : 4, &year)) return false;
  if (utc) year += year < 50 ? 2000 : 1900;
  t += utc ? 2 : 4;
  if (!digits(t, 2, &month) || !digits(t + 2, 2, &day) || !digits(t + 4, 2, &hour) || !digits(t + 6, 2, &minute) || !digits(t + 8, 2, &second) ||
      t[10] != 'Z' || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59)
    return false;
  *ms = ((double)days_from_civil(year, (unsigned)month, (unsigned)day) * 86400 + hour * 3600 + minute * 60 + second) * 1000;
  return true;
}

/* An INTEGER's magnitude, without the zero byte DER puts before a high bit. */
static bool unsigned_integer(unsigned char **p, const unsigned char *end, const unsigned char **bytes, size_t *length) {
  if (!element(p, end, MBEDTLS_ASN1_INTEGER, length) || *length == 0 || (**p & 0x80)) return false;
  *bytes = *p;
  *p += *length;
  while (*length > 1 && **bytes == 0) (*bytes)++, (*length)--;
  return true;
}

static bool is_null_or_absent(const mbedtls_asn1_buf *params) {
  return params->tag == 0 || (params->tag == MBEDTLS_ASN1_NULL && params->len == 0);
}

/* subjectPublicKeyInfo: the key's kind and the bytes that verify with it. */
static bool read_key(unsigned char **p, const unsigned char *end, sl_certificate *out) {
  const unsigned char *spki;
  size_t spki_length, n;
  unsigned char *inner = *p;
  if (!whole(p, end, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE, &spki, &spki_length)) return false;
  const unsigned char *spki_end = *p;
  mbedtls_asn1_buf oid, params;
  if (!element(&inner, spki_end, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE, &n) || mbedtls_asn1_get_alg(&inner, spki_end, &oid, &params) != 0) return false;
  if (spki_length == sizeof ED25519_SPKI_PREFIX + 32 && memcmp(spki, ED25519_SPKI_PREFIX, sizeof ED25519_SPKI_PREFIX) == 0) {
    out->key_type = SL_KEY_ED25519;
    out->kind = "ed25519";
    out->key = spki + sizeof ED25519_SPKI_PREFIX;
    out->key_length = 32;
    return true;
  }
  if (sl_same_bytes(oid.p, oid.len, EC_OID, sizeof EC_OID)) {
    out->kind = "ec";
    if (spki_length == sizeof P256_SPKI_PREFIX + 65 && memcmp(spki, P256_SPKI_PREFIX, sizeof P256_SPKI_PREFIX) == 0 && spki[sizeof P256_SPKI_PREFIX] == 0x04) {
      out->key_type = SL_KEY_P256;
      out->key = spki + sizeof P256_SPKI_PREFIX;
      out->key_length = 65;
    }
    return true;
  }
  if (sl_same_bytes(oid.p, oid.len, ED448_OID, sizeof ED448_OID)) {
    out->kind = "ed448";
    return true;
  }
  if (!sl_same_bytes(oid.p, oid.len, RSA_OID, sizeof RSA_OID) || !is_null_or_absent(&params)) return false;
  out->kind = "rsa";
  if (mbedtls_asn1_get_bitstring_null(&inner, spki_end, &n) != 0 || inner + n != spki_end) return false;
  if (!element(&inner, spki_end, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE, &n) || inner + n != spki_end) return false;
  if (!unsigned_integer(&inner, spki_end, &out->key, &out->key_length) || !unsigned_integer(&inner, spki_end, &out->exponent, &out->exponent_length) ||
      inner != spki_end)
    return false;
  out->key_type = SL_KEY_RSA;
  return true;
}

/* The three extensions the chain checks read; a second copy of one makes the certificate unreadable. */
static bool read_extensions(unsigned char **p, const unsigned char *end, sl_certificate *out) {
  size_t n;
  if (!element(p, end, MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_ASN1_CONSTRUCTED | 3, &n) || *p + n != end) return false;
  if (!element(p, end, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE, &n) || *p + n != end) return false;
  while (*p < end) {
    if (!element(p, end, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE, &n)) return false;
    const unsigned char *extension_end = *p + n;
    if (!element(p, extension_end, MBEDTLS_ASN1_OID, &n)) return false;
    const unsigned char *oid = *p;
    size_t oid_length = n;
    *p += n;
    int critical;
    if (*p < extension_end && **p == MBEDTLS_ASN1_BOOLEAN && mbedtls_asn1_get_bool(p, extension_end, &critical) != 0) return false;
    if (!element(p, extension_end, MBEDTLS_ASN1_OCTET_STRING, &n) || *p + n != extension_end) return false;
    unsigned char *v = *p;
    *p += n;
    if (sl_same_bytes(oid, oid_length, KEY_USAGE_OID, sizeof KEY_USAGE_OID)) {
      /* RFC 5280 §4.2.1.3: digitalSignature (0), keyCertSign (5), cRLSign (6), in the first byte after the unused-bit count. */
      if (out->has_key_usage || !element(&v, extension_end, MBEDTLS_ASN1_BIT_STRING, &n) || n < 1 || v + n != extension_end || v[0] > 7) return false;
      unsigned char first = n > 1 ? v[1] : 0;
      out->has_key_usage = true;
      out->digital_signature = first & 0x80;
      out->key_cert_sign = first & 0x04;
      out->crl_sign = first & 0x02;
    } else if (sl_same_bytes(oid, oid_length, BASIC_CONSTRAINTS_OID, sizeof BASIC_CONSTRAINTS_OID)) {
      if (out->has_basic_constraints || !element(&v, extension_end, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE, &n) || v + n != extension_end)
        return false;
      int ca = 0, path_length;
      if (v < extension_end && *v == MBEDTLS_ASN1_BOOLEAN && mbedtls_asn1_get_bool(&v, extension_end, &ca) != 0) return false;
      if (v < extension_end && mbedtls_asn1_get_int(&v, extension_end, &path_length) != 0) return false;
      if (v != extension_end) return false;
      out->has_basic_constraints = true;
      out->ca = ca;
    } else if (sl_same_bytes(oid, oid_length, EXTENDED_KEY_USAGE_OID, sizeof EXTENDED_KEY_USAGE_OID)) {
      if (out->has_extended_key_usage || !element(&v, extension_end, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE, &n) || v + n != extension_end)
        return false;
      size_t count = 0;
      bool license_signing = false;
      while (v < extension_end) {
        if (!element(&v, extension_end, MBEDTLS_ASN1_OID, &n)) return false;
        license_signing = license_signing || sl_same_bytes(v, n, LICENSE_SIGNING_EKU, sizeof LICENSE_SIGNING_EKU);
        v += n;
        count++;
      }
      out->has_extended_key_usage = true;
      out->license_signing_only = count == 1 && license_signing;
    }
  }
  return true;
}

int sl_certificate_parse(const unsigned char *der, size_t length, sl_certificate *out) {
  memset(out, 0, sizeof *out);
  unsigned char *p = (unsigned char *)der;
  const unsigned char *end = der + length;
  size_t n;
  /* Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }, nothing after. */
  if (!element(&p, end, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE, &n) || p + n != end) return -1;
  out->der = der;
  out->der_length = length;
  unsigned char *tbs = p;
  const unsigned char *algorithm, *inner_algorithm;
  size_t algorithm_length, inner_algorithm_length;
  if (!whole(&p, end, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE, &out->tbs, &out->tbs_length)) return -1;
  if (!whole(&p, end, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE, &algorithm, &algorithm_length)) return -1;
  if (mbedtls_asn1_get_bitstring_null(&p, end, &n) != 0 || p + n != end) return -1;
  out->signature = p;
  out->signature_length = n;
  /* Which RSA PKCS#1 v1.5 digest signs it (the roots are RSA keys, create.ts); MBEDTLS_MD_NONE for any other algorithm. */
  unsigned char *a = (unsigned char *)algorithm;
  mbedtls_asn1_buf oid, params;
  mbedtls_md_type_t md;
  mbedtls_pk_type_t pk;
  if (mbedtls_asn1_get_alg(&a, algorithm + algorithm_length, &oid, &params) != 0) return -1;
  out->signature_md = mbedtls_oid_get_sig_alg(&oid, &md, &pk) == 0 && pk == MBEDTLS_PK_RSA && is_null_or_absent(&params) ? md : MBEDTLS_MD_NONE;

  /* TBSCertificate ::= SEQUENCE { [0] version DEFAULT v1, serialNumber, signature, issuer, validity, subject,
   * subjectPublicKeyInfo, [1] issuerUniqueID, [2] subjectUniqueID, [3] extensions } */
  const unsigned char *tbs_end = out->tbs + out->tbs_length;
  p = tbs;
  element(&p, tbs_end, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE, &n);
  out->version = 1;
  if (p < tbs_end && *p == (MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_ASN1_CONSTRUCTED | 0)) {
    int version;
    if (!element(&p, tbs_end, MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_ASN1_CONSTRUCTED | 0, &n)) return -1;
    const unsigned char *version_end = p + n;
    if (mbedtls_asn1_get_int(&p, version_end, &version) != 0 || p != version_end || version < 0 || version > 2) return -1;
    out->version = version + 1;
  }
  const unsigned char *serial;
  if (!whole(&p, tbs_end, MBEDTLS_ASN1_INTEGER, &serial, &n)) return -1;
  if (!whole(&p, tbs_end, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE, &inner_algorithm, &inner_algorithm_length) ||
      !sl_same_bytes(inner_algorithm, inner_algorithm_length, algorithm, algorithm_length))
    return -1;
  if (!whole(&p, tbs_end, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE, &out->issuer, &out->issuer_length)) return -1;
  if (!element(&p, tbs_end, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE, &n)) return -1;
  const unsigned char *validity_end = p + n;
  if (!read_time(&p, validity_end, &out->not_before_ms) || !read_time(&p, validity_end, &out->not_after_ms) || p != validity_end) return -1;
  if (!whole(&p, tbs_end, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE, &out->subject, &out->subject_length)) return -1;
  if (!read_key(&p, tbs_end, out)) return -1;
  const unsigned char *unique_id;
  if (p < tbs_end && *p == (MBEDTLS_ASN1_CONTEXT_SPECIFIC | 1) && !whole(&p, tbs_end, MBEDTLS_ASN1_CONTEXT_SPECIFIC | 1, &unique_id, &n)) return -1;
  if (p < tbs_end && *p == (MBEDTLS_ASN1_CONTEXT_SPECIFIC | 2) && !whole(&p, tbs_end, MBEDTLS_ASN1_CONTEXT_SPECIFIC | 2, &unique_id, &n)) return -1;
  if (p < tbs_end && !read_extensions(&p, tbs_end, out)) return -1;
  return p == tbs_end ? 0 : -1;
}

/* ---- the signatures ---- */
static size_t rsa_bits(const sl_certificate *key) {
  size_t bits = key->key_length * 8;
  for (unsigned char top = key->key[0]; bits > 0 && !(top & 0x80); top = (unsigned char)(top << 1)) bits--;
  return bits;
}

/* An RSA signature by `key` over a `md` digest: PKCS#1 v1.5, or PSS with a salt as long as the digest.
 * The RSA context is the library's own allocation (through the pk layer), not one of this file's:
 * Debian's mbedTLS is built with pthread mutexes in its contexts, and a board's build compiles
 * against musl, whose mutex is smaller than glibc's on arm64. */
static bool rsa_verifies(const sl_certificate *key, int padding, mbedtls_md_type_t md, const unsigned char *data, size_t length, const unsigned char *sig, size_t sig_length) {
  const mbedtls_md_info_t *info = mbedtls_md_info_from_type(md);
  if (key->key_type != SL_KEY_RSA || !info) return false;
  unsigned char hash[MBEDTLS_MD_MAX_SIZE];
  unsigned hash_length = mbedtls_md_get_size(info);
  if (mbedtls_md(info, data, length, hash) != 0) return false;
  mbedtls_pk_context pk;
  mbedtls_pk_init(&pk);
  bool verified = false;
  if (mbedtls_pk_setup(&pk, mbedtls_pk_info_from_type(MBEDTLS_PK_RSA)) == 0) {
    mbedtls_rsa_context *rsa = mbedtls_pk_rsa(pk);
    mbedtls_rsa_set_padding(rsa, padding, md);
    verified = mbedtls_rsa_import_raw(rsa, key->key, key->key_length, NULL, 0, NULL, 0, NULL, 0, key->exponent, key->exponent_length) == 0 &&
               mbedtls_rsa_complete(rsa) == 0 && mbedtls_rsa_check_pubkey(rsa) == 0 && sig_length == mbedtls_rsa_get_len(rsa) &&
               (padding == MBEDTLS_RSA_PKCS_V21
                    ? mbedtls_rsa_rsassa_pss_verify_ext(rsa, NULL, NULL, MBEDTLS_RSA_PUBLIC, md, hash_length, hash, md, (int)hash_length, sig) == 0
                    : mbedtls_rsa_rsassa_pkcs1_v15_verify(rsa, NULL, NULL, MBEDTLS_RSA_PUBLIC, md, hash_length, hash, sig) == 0);
  }
  mbedtls_pk_free(&pk);
  return verified;
}

bool sl_certificate_signed_by(const sl_certificate *certificate, const sl_certificate *issuer) {
  return certificate->signature_md != MBEDTLS_MD_NONE &&
         rsa_verifies(issuer, MBEDTLS_RSA_PKCS_V15, certificate->signature_md, certificate->tbs, certificate->tbs_length, certificate->signature, certificate->signature_length);
}

const char *sl_certificate_alg(const sl_certificate *certificate) {
  switch (certificate->key_type) {
    case SL_KEY_RSA: return rsa_bits(certificate) >= 2048 ? "PS256" : NULL;
    case SL_KEY_P256: return "ES256";
    case SL_KEY_ED25519: return "EdDSA";
    default: return NULL;
  }
}

bool sl_certificate_verifies(const sl_certificate *key, const char *alg, const void *data, size_t length, const unsigned char *sig, size_t sig_length) {
  const char *key_alg = sl_certificate_alg(key);
  if (!key_alg || strcmp(key_alg, alg) != 0) return false;
  if (key->key_type == SL_KEY_RSA) return rsa_verifies(key, MBEDTLS_RSA_PKCS_V21, MBEDTLS_MD_SHA256, data, length, sig, sig_length);
  if (sig_length != 64) return false;
  if (key->key_type == SL_KEY_ED25519) {
    /* libsodium's Ed25519 needs no sodium_init(): nothing it reads is chosen at run time. */
    return crypto_sign_ed25519_verify_detached(sig, data, length, key->key) == 0;
  }
  /* RFC 7518 §3.4: r and s as 32 bytes each; any other length, the DER form among them, is refused
   * as node:crypto's ieee-p1363 does. BearSSL verifies it: mbedTLS 2.28's generic bignum arithmetic,
   * with no precomputed table for the base point, took four fifths of a boot check's instructions. */
  unsigned char hash[32];
  sl_sha256(data, length, hash);
  br_ec_public_key point = {BR_EC_secp256r1, (unsigned char *)key->key, key->key_length};
  return br_ecdsa_i31_vrfy_raw(&br_ec_p256_m31, hash, sizeof hash, &point, sig, sig_length) == 1;
}

/* ---- the trust roots ---- */
sl_roots *sl_roots_parse(sl_arena *arena, const char *pem, char **error) {
  static const char BEGIN[] = "-----BEGIN CERTIFICATE-----", END[] = "-----END CERTIFICATE-----";
  sl_roots *roots = sl_alloc(arena, sizeof *roots);
  size_t blocks = 0;
  for (const char *p = strstr(pem, BEGIN); p; p = strstr(p + 1, BEGIN)) blocks++;
  roots->certificates = sl_alloc(arena, (blocks + 1) * sizeof(sl_certificate));
  for (const char *at = pem;;) {
    const char *begin = strstr(at, BEGIN);
    if (!begin) break;
    /* [\s\S]+? : at least one character between the lines */
    const char *end = strstr(begin + sizeof BEGIN, END);
    if (!end) break;
    sl_buf body;
    sl_buf_init(&body, arena);
    for (const char *c = begin + sizeof BEGIN - 1; c < end; c++)
      if (*c != ' ' && *c != '\t' && *c != '\r' && *c != '\n') sl_buf_char(&body, *c);
    size_t length = 0;
    mbedtls_base64_decode(NULL, 0, &length, (const unsigned char *)body.data, body.length);
    unsigned char *der = sl_alloc(arena, length + 1);
    if (length == 0 || mbedtls_base64_decode(der, length, &length, (const unsigned char *)body.data, body.length) != 0 ||
        sl_certificate_parse(der, length, &roots->certificates[roots->count]) != 0) {
      *error = sl_strdup(arena, "The trust root is not a valid certificate.");
      return NULL;
    }
    roots->count++;
    at = end + sizeof END - 1;
  }
  if (roots->count == 0) {
    *error = sl_strdup(arena, "The trust root holds no PEM certificate.");
    return NULL;
  }
  return roots;
}
