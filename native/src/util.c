/* Arena, strings as JavaScript sees them, files, encodings and digests. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <mbedtls/base64.h>
#include <mbedtls/md.h>
#include <mbedtls/sha256.h>
#include "internal.h"

struct sl_chunk { sl_chunk *next; union { long double ld; void *p; long long ll; } align[]; };

void *sl_alloc(sl_arena *arena, size_t size) {
  sl_chunk *chunk = malloc(sizeof(sl_chunk) + size + 1);
  if (!chunk) {
    /* Out of memory on a small board: the check cannot go on, and it must not pass. */
    abort();
  }
  chunk->next = arena->chunks;
  arena->chunks = chunk;
  memset(chunk->align, 0, size + 1);
  return chunk->align;
}

void sl_arena_free(sl_arena *arena) {
  while (arena->chunks) {
    sl_chunk *next = arena->chunks->next;
    free(arena->chunks);
    arena->chunks = next;
  }
}

char *sl_strndup(sl_arena *arena, const char *text, size_t length) {
  char *copy = sl_alloc(arena, length + 1);
  memcpy(copy, text, length);
  copy[length] = 0;
  return copy;
}

char *sl_strdup(sl_arena *arena, const char *text) { return sl_strndup(arena, text, strlen(text)); }

char *sl_printf(sl_arena *arena, const char *format, ...) {
  va_list args;
  va_start(args, format);
  int n = vsnprintf(NULL, 0, format, args);
  va_end(args);
  char *out = sl_alloc(arena, (size_t)n + 1);
  va_start(args, format);
  vsnprintf(out, (size_t)n + 1, format, args);
  va_end(args);
  return out;
}

void sl_buf_init(sl_buf *buf, sl_arena *arena) {
  buf->arena = arena;
  buf->capacity = 64;
  buf->length = 0;
  buf->data = sl_alloc(arena, buf->capacity);
}

void sl_buf_add(sl_buf *buf, const char *data, size_t length) {
  if (buf->length + length + 1 > buf->capacity) {
    size_t capacity = buf->capacity * 2;
    while (capacity < buf->length + length + 1) capacity *= 2;
    char *grown = sl_alloc(buf->arena, capacity);
    memcpy(grown, buf->data, buf->length);
    buf->data = grown;
    buf->capacity = capacity;
  }
  memcpy(buf->data + buf->length, data, length);
  buf->length += length;
  buf->data[buf->length] = 0;
}

void sl_buf_str(sl_buf *buf, const char *text) { sl_buf_add(buf, text, strlen(text)); }
void sl_buf_char(sl_buf *buf, char c) { sl_buf_add(buf, &c, 1); }

void sl_buf_printf(sl_buf *buf, const char *format, ...) {
  char small[256];
  va_list args;
  va_start(args, format);
  int n = vsnprintf(small, sizeof small, format, args);
  va_end(args);
  if ((size_t)n < sizeof small) {
    sl_buf_add(buf, small, (size_t)n);
    return;
  }
  char *big = sl_alloc(buf->arena, (size_t)n + 1);
  va_start(args, format);
  vsnprintf(big, (size_t)n + 1, format, args);
  va_end(args);
  sl_buf_add(buf, big, (size_t)n);
}

void sl_list_add(sl_arena *arena, sl_list *list, char *item) {
  if (list->count == list->capacity) {
    size_t capacity = list->capacity ? list->capacity * 2 : 8;
    char **grown = sl_alloc(arena, capacity * sizeof(char *));
    if (list->count) memcpy(grown, list->items, list->count * sizeof(char *));
    list->items = grown;
    list->capacity = capacity;
  }
  list->items[list->count++] = item;
}

bool sl_list_has(const sl_list *list, const char *item) {
  for (size_t i = 0; i < list->count; i++)
    if (strcmp(list->items[i], item) == 0) return true;
  return false;
}

static int compare_strings(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }
void sl_list_sort(sl_list *list) {
  if (list->count > 1) qsort(list->items, list->count, sizeof(char *), compare_strings);
}

/* WHATWG UTF-8 decoding (what Node's 'utf8' does): each maximal invalid subpart becomes U+FFFD. */
char *sl_utf8(sl_arena *arena, const char *bytes, size_t length, size_t *out_length) {
  sl_buf out;
  sl_buf_init(&out, arena);
  const unsigned char *s = (const unsigned char *)bytes;
  static const char replacement[] = "\xEF\xBF\xBD";
  size_t i = 0;
  while (i < length) {
    unsigned char c = s[i];
    if (c < 0x80) { sl_buf_char(&out, (char)c); i++; continue; }
    size_t need;
    unsigned char lower = 0x80, upper = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) need = 1;
    else if (c >= 0xE0 && c <= 0xEF) { need = 2; if (c == 0xE0) lower = 0xA0; if (c == 0xED) upper = 0x9F; }
    else if (c >= 0xF0 && c <= 0xF4) { need = 3; if (c == 0xF0) lower = 0x90; if (c == 0xF4) upper = 0x8F; }
    else { sl_buf_add(&out, replacement, 3); i++; continue; }
    size_t j = 1;
    for (; j <= need; j++) {
      if (i + j >= length) break;
      unsigned char d = s[i + j];
      if (d < lower || d > upper) break;
      lower = 0x80; upper = 0xBF;
    }
    if (j == need + 1) { sl_buf_add(&out, bytes + i, need + 1); i += need + 1; }
    else { sl_buf_add(&out, replacement, 3); i += j; }
  }
  if (out_length) *out_length = out.length;
  return out.data;
}

uint32_t sl_next_cp(const char *text, size_t length, size_t *at) {
  const unsigned char *s = (const unsigned char *)text;
  size_t i = *at;
  unsigned char c = s[i];
  uint32_t cp;
  size_t n;
  if (c < 0x80) { cp = c; n = 1; }
  else if (c < 0xE0) { cp = c & 0x1F; n = 2; }
  else if (c < 0xF0) { cp = c & 0x0F; n = 3; }
  else { cp = c & 0x07; n = 4; }
  for (size_t k = 1; k < n && i + k < length; k++) cp = (cp << 6) | (s[i + k] & 0x3F);
  *at = i + n > length ? length : i + n;
  return cp;
}

size_t sl_utf16_length(const char *text, size_t length) {
  size_t units = 0;
  for (size_t at = 0; at < length;) units += sl_next_cp(text, length, &at) >= 0x10000 ? 2 : 1;
  return units;
}

/* JavaScript's WhiteSpace and LineTerminator: what trim() removes and \s matches. */
bool sl_js_space(uint32_t cp) {
  switch (cp) {
    case 0x09: case 0x0A: case 0x0B: case 0x0C: case 0x0D: case 0x20: case 0xA0: case 0x1680:
    case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000: case 0xFEFF:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200A;
  }
}

char *sl_trim(sl_arena *arena, const char *text, size_t length) {
  size_t start = 0, end = length;
  while (start < end) {
    size_t next = start;
    if (!sl_js_space(sl_next_cp(text, end, &next))) break;
    start = next;
  }
  while (end > start) {
    size_t back = end - 1;
    while (back > start && ((unsigned char)text[back] & 0xC0) == 0x80) back--;
    size_t probe = back;
    if (!sl_js_space(sl_next_cp(text, end, &probe))) break;
    end = back;
  }
  return sl_strndup(arena, text + start, end - start);
}

/* JSON.stringify of a string. */
void sl_json_string(sl_buf *buf, const char *text, size_t length) {
  sl_buf_char(buf, '"');
  for (size_t i = 0; i < length; i++) {
    unsigned char c = (unsigned char)text[i];
    switch (c) {
      case '"': sl_buf_str(buf, "\\\""); break;
      case '\\': sl_buf_str(buf, "\\\\"); break;
      case '\b': sl_buf_str(buf, "\\b"); break;
      case '\f': sl_buf_str(buf, "\\f"); break;
      case '\n': sl_buf_str(buf, "\\n"); break;
      case '\r': sl_buf_str(buf, "\\r"); break;
      case '\t': sl_buf_str(buf, "\\t"); break;
      default:
        if (c < 0x20) sl_buf_printf(buf, "\\u%04x", c);
        else sl_buf_char(buf, (char)c);
    }
  }
  sl_buf_char(buf, '"');
}

/* Number::toString (ECMAScript 6.1.6.1.20): the shortest digits that read back the same. */
void sl_js_number(sl_buf *buf, double value) {
  if (isnan(value)) { sl_buf_str(buf, "null"); return; }
  if (isinf(value)) { sl_buf_str(buf, "null"); return; }
  if (value == 0) { sl_buf_char(buf, '0'); return; }
  if (value < 0) { sl_buf_char(buf, '-'); value = -value; }
  char text[40];
  int precision = 1;
  for (; precision <= 17; precision++) {
    snprintf(text, sizeof text, "%.*e", precision - 1, value);
    if (strtod(text, NULL) == value) break;
  }
  char digits[20];
  int k = 0;
  char *p = text;
  for (; *p && *p != 'e'; p++)
    if (*p >= '0' && *p <= '9') digits[k++] = *p;
  while (k > 1 && digits[k - 1] == '0') k--;
  digits[k] = 0;
  int n = atoi(p + 1) + 1;
  if (k <= n && n <= 21) {
    sl_buf_add(buf, digits, (size_t)k);
    for (int i = 0; i < n - k; i++) sl_buf_char(buf, '0');
  } else if (0 < n && n <= 21) {
    sl_buf_add(buf, digits, (size_t)n);
    sl_buf_char(buf, '.');
    sl_buf_add(buf, digits + n, (size_t)(k - n));
  } else if (-6 < n && n <= 0) {
    sl_buf_str(buf, "0.");
    for (int i = 0; i < -n; i++) sl_buf_char(buf, '0');
    sl_buf_add(buf, digits, (size_t)k);
  } else {
    sl_buf_char(buf, digits[0]);
    if (k > 1) { sl_buf_char(buf, '.'); sl_buf_add(buf, digits + 1, (size_t)(k - 1)); }
    sl_buf_printf(buf, "e%c%d", n - 1 >= 0 ? '+' : '-', abs(n - 1));
  }
}

char *sl_read_file(sl_arena *arena, const char *path, size_t *length) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return NULL;
  struct stat st;
  if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) { close(fd); return NULL; }
  sl_buf buf;
  sl_buf_init(&buf, arena);
  char chunk[4096];
  for (;;) {
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      close(fd);
      return NULL;
    }
    if (n == 0) break;
    sl_buf_add(&buf, chunk, (size_t)n);
  }
  close(fd);
  if (length) *length = buf.length;
  return buf.data;
}

/* An errno's text without strerror's shared buffer (glibc's strerror is not thread-safe; musl's is). */
static const char *error_text(int number) {
#ifdef __GLIBC__
  const char *text = strerrordesc_np(number);
  return text ? text : "unknown error";
#else
  return strerror(number);
#endif
}

static int fsync_path(const char *path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  int status = fsync(fd);
  close(fd);
  return status;
}

/* As the agent's writeFileAtomic: a temporary file beside it, fsync, rename over, fsync the directory. */
int sl_write_atomic(sl_arena *arena, const char *path, const char *data, size_t length, int mode, char **error) {
  const char *slash = strrchr(path, '/');
  char *dir = slash ? sl_strndup(arena, path, slash == path ? 1 : (size_t)(slash - path)) : sl_strdup(arena, ".");
  const char *base = slash ? slash + 1 : path;
  unsigned char random[6];
  sl_random(random, sizeof random);
  char *temp = sl_printf(arena, "%s/.%s.%02x%02x%02x%02x%02x%02x.tmp", dir, base, random[0], random[1], random[2], random[3], random[4], random[5]);
  int fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) goto failed;
  size_t written = 0;
  while (written < length) {
    ssize_t n = write(fd, data + written, length - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      close(fd);
      goto failed;
    }
    written += (size_t)n;
  }
  if (fsync(fd) != 0) { close(fd); goto failed; }
  close(fd);
  if (rename(temp, path) != 0) goto failed;
  if (fsync_path(dir) != 0) goto failed;
  return 0;
failed:;
  int saved = errno;
  unlink(temp);
  *error = sl_printf(arena, "Cannot write %s: %s", path, error_text(saved));
  return SEATLOCK_FAILED;
}

/* mkdir -p with 0700, and 0700 on the last even when it existed. */
int sl_private_dir(const char *path) {
  char copy[4096];
  size_t n = strlen(path);
  if (n >= sizeof copy) return -1;
  memcpy(copy, path, n + 1);
  for (size_t i = 1; i < n; i++) {
    if (copy[i] != '/') continue;
    copy[i] = 0;
    if (mkdir(copy, 0700) != 0 && errno != EEXIST) return -1;
    copy[i] = '/';
  }
  if (mkdir(copy, 0700) != 0 && errno != EEXIST) return -1;
  return chmod(copy, 0700);
}

char *sl_base64(sl_arena *arena, const unsigned char *data, size_t length) {
  size_t n = 0;
  mbedtls_base64_encode(NULL, 0, &n, data, length);
  unsigned char *out = sl_alloc(arena, n + 1);
  mbedtls_base64_encode(out, n + 1, &n, data, length);
  out[n] = 0;
  return (char *)out;
}

char *sl_base64url(sl_arena *arena, const unsigned char *data, size_t length) {
  char *text = sl_base64(arena, data, length);
  size_t n = strlen(text);
  while (n > 0 && text[n - 1] == '=') text[--n] = 0;
  for (size_t i = 0; i < n; i++) {
    if (text[i] == '+') text[i] = '-';
    else if (text[i] == '/') text[i] = '_';
  }
  return text;
}

static int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

unsigned char *sl_base64_lenient(sl_arena *arena, const char *text, size_t length, size_t *out_length) {
  unsigned char *out = sl_alloc(arena, length * 3 / 4 + 3);
  size_t n = 0;
  uint32_t accumulator = 0;
  int bits = 0;
  for (size_t i = 0; i < length; i++) {
    if (text[i] == '=') break;
    int v = base64_value(text[i]);
    if (v < 0) continue;
    accumulator = (accumulator << 6) | (uint32_t)v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (unsigned char)(accumulator >> bits);
      accumulator &= (1u << bits) - 1;
    }
  }
  *out_length = n;
  return out;
}

/* Only the base64url alphabet, and the encoding of its own bytes (no stray bits in the last character). */
bool sl_base64url_canonical(sl_arena *arena, const char *segment, size_t length) {
  if (length == 0) return false;
  for (size_t i = 0; i < length; i++) {
    char c = segment[i];
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  }
  size_t n;
  unsigned char *bytes = sl_base64_lenient(arena, segment, length, &n);
  char *again = sl_base64url(arena, bytes, n);
  return strlen(again) == length && memcmp(again, segment, length) == 0;
}

void sl_sha256(const void *data, size_t length, unsigned char out[32]) {
  mbedtls_sha256_ret(data, length, out, 0);
}

void sl_hmac_sha256(const void *key, size_t key_length, const void *data, size_t length, unsigned char out[32]) {
  mbedtls_md_hmac(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), key, key_length, data, length, out);
}

json_t *sl_json_parse(const char *text, size_t length) {
  json_error_t error;
  return json_loadb(text, length, JSON_DECODE_ANY | JSON_ALLOW_NUL, &error);
}

bool sl_is_number(const json_t *value) { return value && json_is_number(value); }
double sl_number(const json_t *value) { return json_is_integer(value) ? (double)json_integer_value(value) : json_real_value(value); }

bool sl_is_safe_integer(const json_t *value) {
  if (!sl_is_number(value)) return false;
  double v = sl_number(value);
  return isfinite(v) && floor(v) == v && fabs(v) <= SL_MAX_SAFE_INTEGER;
}

bool sl_is_text(const json_t *value) {
  if (!value || !json_is_string(value)) return false;
  size_t units = sl_utf16_length(json_string_value(value), json_string_length(value));
  return units > 0 && units <= 128;
}

void sl_set_message(char *message, size_t size, const char *format, ...) {
  if (!message || size == 0) return;
  va_list args;
  va_start(args, format);
  vsnprintf(message, size, format, args);
  va_end(args);
}

int64_t sl_now_ms(void) {
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

void sl_random(unsigned char *out, size_t length) {
  size_t got = 0;
  while (got < length) {
    ssize_t n = getrandom(out + got, length - got, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      abort();
    }
    got += (size_t)n;
  }
}
