/* Normalization, the placeholder rule and keyed hashes (shared/src/fingerprint). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

/* What String.prototype.toLowerCase does to ASCII and Latin-1 letters. */
static void lower_case(char *text, size_t length) {
  unsigned char *s = (unsigned char *)text;
  for (size_t i = 0; i < length; i++) {
    if (s[i] >= 'A' && s[i] <= 'Z') s[i] = (unsigned char)(s[i] + 32);
    else if (s[i] == 0xC3 && i + 1 < length && s[i + 1] >= 0x80 && s[i + 1] <= 0x9E && s[i + 1] != 0x97) s[++i] += 0x20;
  }
}

/* trim, lower case, runs of whitespace as one space (after NULs are removed). */
static char *canonical(sl_arena *arena, const char *raw) {
  size_t n = strlen(raw);
  char *trimmed = sl_trim(arena, raw, n);
  n = strlen(trimmed);
  lower_case(trimmed, n);
  sl_buf out;
  sl_buf_init(&out, arena);
  for (size_t at = 0; at < n;) {
    size_t start = at;
    uint32_t cp = sl_next_cp(trimmed, n, &at);
    if (!sl_js_space(cp)) {
      sl_buf_add(&out, trimmed + start, at - start);
      continue;
    }
    while (at < n) {
      size_t next = at;
      if (!sl_js_space(sl_next_cp(trimmed, n, &next))) break;
      at = next;
    }
    sl_buf_char(&out, ' ');
  }
  return out.data;
}

char *sl_normalize(sl_arena *arena, const char *name, const char *raw) {
  /* Values reach here NUL-free: the sysroot's reader removes them. */
  char *value = canonical(arena, raw);
  if (strncmp(name, "net.mac.", 8) == 0) {
    char hex[13];
    size_t k = 0;
    for (const char *p = value; *p; p++) {
      if (*p == ':' || *p == '-' || *p == '.') continue;
      if (k == 12 || !((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) return sl_strdup(arena, "");
      hex[k++] = *p;
    }
    if (k != 12) return sl_strdup(arena, "");
    return sl_strndup(arena, hex, 12);
  }
  const char *p = value;
  while (strncmp(p, "0x", 2) == 0) {
    p += 2;
    while (*p) {
      size_t next = 0;
      if (!sl_js_space(sl_next_cp(p, strlen(p), &next))) break;
      p += next;
    }
  }
  return sl_strdup(arena, p);
}

static const char *PLACEHOLDER_VALUES[] = {
  "none", "null", "unknown", "default", "defaultstring", "default string", "to be filled by o.e.m.", "tobefilledbyoem",
  "not specified", "not applicable", "system serial number", "system product name", "chassis serial number",
  "base board serial number", "serial", "n/a", "na", "oem", "invalid", "03000200-0400-0500-0006-000700080009",
};
static const char *PLACEHOLDER_MACS[] = {"020000000000", "000023344566", "00e04c680001", "525400123456", "deadbeefcafe", "00deadbeef00"};

typedef bool (*step_fn)(int64_t from, int64_t to, int *step);

static int alphabet_index(int64_t cp) {
  if (cp >= '0' && cp <= '9') return (int)(cp - '0');
  if (cp >= 'a' && cp <= 'z') return (int)(cp - 'a' + 10);
  return -1;
}

static bool small_step(int64_t from, int64_t to, int *step) {
  int a = alphabet_index(from), b = alphabet_index(to);
  if (a < 0 || b < 0) return false;
  if (a == 9 && b == 0) { *step = 1; return true; }
  if (a == 0 && b == 9) { *step = -1; return true; }
  int d = b - a;
  if (d < -1 || d > 1) return false;
  *step = d;
  return true;
}

static bool typed_octet_step(int64_t from, int64_t to, int *step) {
  int64_t d = to - from;
  if (d == 0 || d == 1 || d == -1 || d == 0x11 || d == -0x11 || d == 0x22 || d == -0x22) {
    *step = (int)d;
    return true;
  }
  return false;
}

#define MINIMUM_RUN 3

static bool few_runs(const int64_t *symbols, size_t n, step_fn step, size_t short_tail, size_t maximum_runs) {
  size_t count = 0, covered = 0, longest = 0, i = 0;
  while (i < n) {
    int first = 0, next = 0;
    bool has_first = i + 1 < n && step(symbols[i], symbols[i + 1], &first);
    size_t end = i + 1;
    if (has_first)
      while (end < n && step(symbols[end - 1], symbols[end], &next) && next == first) end++;
    if (end - i >= MINIMUM_RUN) {
      count++;
      covered += end - i;
      if (end - i > longest) longest = end - i;
      i = end;
    } else {
      i++;
    }
  }
  size_t outside = n - covered;
  return count >= 1 && count <= maximum_runs && 2 * longest >= n && outside <= short_tail && covered >= 2 * outside;
}

static bool periodic(const int64_t *symbols, size_t n) {
  if (n < 2) return false;
  size_t *border = calloc(n, sizeof(size_t));
  if (!border) abort();
  for (size_t i = 1, k = 0; i < n; i++) {
    while (k > 0 && symbols[i] != symbols[k]) k = border[k - 1];
    if (symbols[i] == symbols[k]) k++;
    border[i] = k;
  }
  bool result = 2 * (n - border[n - 1]) <= n;
  free(border);
  return result;
}

static bool stretched(sl_arena *arena, const int64_t *symbols, size_t n) {
  int64_t *blocks = sl_alloc(arena, (n + 1) * sizeof(int64_t));
  for (size_t width = 2; 2 * width <= n; width++) {
    if (n % width != 0) continue;
    size_t count = 0;
    bool uniform = true;
    for (size_t at = 0; uniform && at < n; at += width) {
      for (size_t k = at; k < at + width; k++)
        if (symbols[k] != symbols[at]) uniform = false;
      blocks[count++] = symbols[at];
    }
    if (uniform && (few_runs(blocks, count, small_step, 4, 3) || periodic(blocks, count))) return true;
  }
  return false;
}

static size_t minimum_length(const char *name) {
  if (strcmp(name, "soc.serial") == 0) return 8;
  if (strcmp(name, "emmc.cid") == 0 || strcmp(name, "system.uuid") == 0 || strcmp(name, "machine.id") == 0) return 16;
  if (strcmp(name, "android.id") == 0) return 8;
  return 6;
}

static int hex_value(char c) { return c <= '9' ? c - '0' : c - 'a' + 10; }

static bool placeholder_mac(const char *name, const char *hex) {
  for (size_t i = 0; i < sizeof PLACEHOLDER_MACS / sizeof *PLACEHOLDER_MACS; i++)
    if (strcmp(hex, PLACEHOLDER_MACS[i]) == 0) return true;
  int64_t octets[6], tail[6];
  for (int i = 0; i < 6; i++) octets[i] = hex_value(hex[2 * i]) * 16 + hex_value(hex[2 * i + 1]);
  if (octets[0] & 1) return true;
  if ((octets[0] & 2) && (strncmp(name, "net.mac.wlan", 12) == 0 || strncmp(name, "net.mac.wlp", 11) == 0 ||
                          strncmp(name, "net.mac.wifi", 12) == 0 || strncmp(name, "net.mac.p2p", 11) == 0))
    return true;
  for (int i = 0; i < 6; i++) tail[i] = (unsigned char)hex[6 + i];
  return few_runs(octets, 6, typed_octet_step, 1, 3) || few_runs(tail, 6, small_step, 1, 1);
}

bool sl_is_placeholder(sl_arena *arena, const char *name, const char *normalized) {
  for (size_t i = 0; i < sizeof PLACEHOLDER_VALUES / sizeof *PLACEHOLDER_VALUES; i++)
    if (strcmp(normalized, PLACEHOLDER_VALUES[i]) == 0) return true;
  size_t n = strlen(normalized);
  sl_buf compact;
  sl_buf_init(&compact, arena);
  for (size_t at = 0; at < n;) {
    size_t start = at;
    uint32_t cp = sl_next_cp(normalized, n, &at);
    if (sl_js_space(cp) || cp == ':' || cp == '.' || cp == '-' || cp == '_' || cp == '/') continue;
    sl_buf_add(&compact, normalized + start, at - start);
  }
  if (sl_utf16_length(compact.data, compact.length) < minimum_length(name)) return true;
  if (strncmp(name, "net.mac.", 8) == 0) return placeholder_mac(name, compact.data);
  int64_t *symbols = sl_alloc(arena, (compact.length + 1) * sizeof(int64_t));
  size_t count = 0;
  for (size_t at = 0; at < compact.length;) symbols[count++] = sl_next_cp(compact.data, compact.length, &at);
  return few_runs(symbols, count, small_step, 4, 3) || periodic(symbols, count) || stretched(arena, symbols, count);
}

void sl_hash_component(const char *name, const char *normalized, char out[23]) {
  static const char KEY[] = "seatlock/fingerprint/v1";
  size_t name_length = strlen(name), value_length = strlen(normalized);
  unsigned char *message = malloc(name_length + 1 + value_length);
  if (!message) abort();
  memcpy(message, name, name_length);
  message[name_length] = 0;
  memcpy(message + name_length + 1, normalized, value_length);
  unsigned char mac[32];
  sl_hmac_sha256(KEY, sizeof KEY - 1, message, name_length + 1 + value_length, mac);
  free(message);
  static const char ALPHABET[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  size_t k = 0;
  for (size_t i = 0; i < 16; i += 3) {
    uint32_t v = (uint32_t)mac[i] << 16 | (i + 1 < 16 ? (uint32_t)mac[i + 1] << 8 : 0) | (i + 2 < 16 ? mac[i + 2] : 0);
    out[k++] = ALPHABET[(v >> 18) & 63];
    out[k++] = ALPHABET[(v >> 12) & 63];
    if (i + 1 < 16) out[k++] = ALPHABET[(v >> 6) & 63];
    if (i + 2 < 16) out[k++] = ALPHABET[v & 63];
  }
  out[k] = 0;
}

void sl_fingerprint_put(sl_arena *arena, sl_fingerprint *fp, const char *name, const char *hash, int weight, bool strong) {
  for (size_t i = 0; i < fp->count; i++) {
    if (strcmp(fp->items[i].name, name) == 0) {
      snprintf(fp->items[i].hash, sizeof fp->items[i].hash, "%s", hash);
      fp->items[i].weight = weight;
      fp->items[i].strong = strong;
      return;
    }
  }
  if (fp->count == fp->capacity) {
    size_t capacity = fp->capacity ? fp->capacity * 2 : 8;
    sl_component *grown = sl_alloc(arena, capacity * sizeof(sl_component));
    if (fp->count) memcpy(grown, fp->items, fp->count * sizeof(sl_component));
    fp->items = grown;
    fp->capacity = capacity;
  }
  sl_component *c = &fp->items[fp->count++];
  c->name = sl_strdup(arena, name);
  snprintf(c->hash, sizeof c->hash, "%s", hash);
  c->weight = weight;
  c->strong = strong;
}

const sl_component *sl_fingerprint_get(const sl_fingerprint *fp, const char *name) {
  for (size_t i = 0; i < fp->count; i++)
    if (strcmp(fp->items[i].name, name) == 0) return &fp->items[i];
  return NULL;
}

bool sl_has_strong(const sl_fingerprint *fp) {
  for (size_t i = 0; i < fp->count; i++)
    if (fp->items[i].strong) return true;
  return false;
}

void sl_fingerprint_json(sl_buf *buf, const sl_fingerprint *fp) {
  sl_buf_str(buf, "{\"v\":1,\"components\":{");
  for (size_t i = 0; i < fp->count; i++) {
    if (i) sl_buf_char(buf, ',');
    sl_json_string(buf, fp->items[i].name, strlen(fp->items[i].name));
    sl_buf_printf(buf, ":{\"h\":\"%s\",\"w\":%d,\"s\":%s}", fp->items[i].hash, fp->items[i].weight, fp->items[i].strong ? "true" : "false");
  }
  sl_buf_str(buf, "}}");
}
