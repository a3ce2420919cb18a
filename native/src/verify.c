/* The license store and the boot check, install, request and fingerprint (agent/src/store.ts, verify.ts, install.ts, bundle.ts, activate.ts). */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "internal.h"

void sl_store_init(sl_arena *arena, sl_store *store, const char *home) {
  store->home = home;
  store->license_dir = sl_printf(arena, "%s/licenses", home);
}

static int compare_stored(const void *a, const void *b) { return strcmp(((const sl_stored *)a)->file, ((const sl_stored *)b)->file); }

int sl_store_licenses(sl_arena *arena, const sl_store *store, sl_stored **out, size_t *count, char **error) {
  *out = NULL;
  *count = 0;
  DIR *dir = opendir(store->license_dir);
  if (!dir) return 0;
  size_t capacity = 0;
  struct dirent *entry;
  while ((entry = readdir(dir)) != NULL) {
    size_t n = strlen(entry->d_name);
    if (n < 4 || strcmp(entry->d_name + n - 4, ".lic") != 0) continue;
    if (*count == capacity) {
      capacity = capacity ? capacity * 2 : 8;
      sl_stored *grown = sl_alloc(arena, capacity * sizeof(sl_stored));
      if (*count) memcpy(grown, *out, *count * sizeof(sl_stored));
      *out = grown;
    }
    (*out)[(*count)++].file = sl_printf(arena, "%s/%s", store->license_dir, entry->d_name);
  }
  closedir(dir);
  if (*count > 1) qsort(*out, *count, sizeof(sl_stored), compare_stored);
  for (size_t i = 0; i < *count; i++) {
    size_t n;
    char *bytes = sl_read_file(arena, (*out)[i].file, &n);
    if (!bytes) {
      *error = sl_printf(arena, "Cannot read %s.", (*out)[i].file);
      return SEATLOCK_FAILED;
    }
    (*out)[i].text = sl_utf8(arena, bytes, n, &(*out)[i].length);
  }
  return 0;
}

static sl_list clock_files(sl_arena *arena, const sl_store *store, const sl_list *dirs) {
  sl_list files = {0};
  sl_list_add(arena, &files, sl_printf(arena, "%s/clock.json", store->home));
  sl_list_add(arena, &files, sl_printf(arena, "%s/clock.json", store->license_dir));
  for (size_t i = 0; dirs && i < dirs->count; i++) sl_list_add(arena, &files, sl_printf(arena, "%s/clock.json", dirs->items[i]));
  return files;
}

char **sl_store_read_clocks(sl_arena *arena, const sl_store *store, const sl_list *dirs, size_t *count, size_t **lengths) {
  sl_list files = clock_files(arena, store, dirs);
  char **texts = sl_alloc(arena, (files.count + 1) * sizeof(char *));
  *lengths = sl_alloc(arena, (files.count + 1) * sizeof(size_t));
  for (size_t i = 0; i < files.count; i++) {
    size_t n;
    char *bytes = sl_read_file(arena, files.items[i], &n);
    texts[i] = bytes ? sl_utf8(arena, bytes, n, &(*lengths)[i]) : NULL;
  }
  *count = files.count;
  return texts;
}

static int prepare(sl_arena *arena, const sl_store *store, const char *dir, char **error) {
  if (sl_private_dir(store->home) != 0 || sl_private_dir(dir) != 0) {
    *error = sl_printf(arena, "Cannot create %s.", dir);
    return SEATLOCK_FAILED;
  }
  return 0;
}

int sl_store_write_clock(sl_arena *arena, const sl_store *store, const sl_list *dirs, const char *text, char **error) {
  int status = prepare(arena, store, store->license_dir, error);
  for (size_t i = 0; !status && dirs && i < dirs->count; i++) status = prepare(arena, store, dirs->items[i], error);
  sl_list files = clock_files(arena, store, dirs);
  for (size_t i = 0; !status && i < files.count; i++) status = sl_write_atomic(arena, files.items[i], text, strlen(text), 0600, error);
  return status;
}

char *sl_store_revocations_file(sl_arena *arena, const sl_store *store) { return sl_printf(arena, "%s/revocations.txt", store->home); }

/* ---- shared pieces of verify and install ---- */
typedef struct session {
  sl_arena arena;
  seatlock_options options;
  sl_store store;
  sl_device device;
  sl_roots *roots;
  bool has_revocations;
  sl_revocations revocations;
  char **clock_texts;
  size_t *clock_lengths;
  size_t clock_count;
  double seen_serial;
  double now_ms;
} session;

static void session_start(session *s, const seatlock_options *options) {
  memset(s, 0, sizeof *s);
  if (options) s->options = *options;
  s->options.home = s->options.home ? s->options.home : "/var/lib/seatlock";
  sl_store_init(&s->arena, &s->store, s->options.home);
  s->now_ms = (double)(s->options.now_ms ? s->options.now_ms : sl_now_ms());
}

static void session_end(session *s) { sl_arena_free(&s->arena); }

static int trust_roots(session *s, char **error) {
  const char *pem = sl_embedded_root ? sl_embedded_root : s->options.trust_root_pem;
  if (!pem) {
    *error = sl_strdup(&s->arena, "This build has no embedded root certificate and no trust root was given.");
    return SEATLOCK_INVALID;
  }
  s->roots = sl_roots_parse(&s->arena, pem, error);
  return s->roots ? 0 : SEATLOCK_INVALID;
}

/* installedRevocations: the stored list, refused when damaged, older than one seen, or missing after one was seen. */
static int installed_revocations(session *s, char **error) {
  char *file = sl_store_revocations_file(&s->arena, &s->store);
  size_t n;
  char *bytes = sl_read_file(&s->arena, file, &n);
  if (!bytes) {
    if (s->seen_serial > 0) {
      *error = sl_printf(&s->arena, "The installed revocation list (%s) is missing, and this device has had list %.0f; install the vendor's current list.", file, s->seen_serial);
      return SEATLOCK_INVALID;
    }
    return 0;
  }
  size_t m;
  char *text = sl_utf8(&s->arena, bytes, n, &m);
  char *why = NULL;
  if (sl_verify_revocation_list(&s->arena, text, m, s->roots, &s->revocations, &why) != 0) {
    *error = sl_printf(&s->arena, "The installed revocation list (%s) is not valid: %s; install the vendor's current list.", file, why);
    return SEATLOCK_INVALID;
  }
  if (s->revocations.serial < s->seen_serial) {
    *error = sl_printf(&s->arena, "The installed revocation list (%s) is list %.0f, older than list %.0f this device has had; install the vendor's current list.", file,
                       s->revocations.serial, s->seen_serial);
    return SEATLOCK_INVALID;
  }
  s->has_revocations = true;
  return 0;
}

/* A license text parsed once for every use a check makes of it; sl_parsed_license_release ends it. */
typedef struct license_text { sl_parsed_license parsed; char *error; bool ok; } license_text;

static void read_license(session *s, const char *text, size_t length, license_text *out) {
  out->error = NULL;
  out->ok = sl_parse_license(&s->arena, text, length, &out->parsed, &out->error) == 0;
}

static bool is_trial(const license_text *license) { return license->ok && license->parsed.claims.trial; }

/* checkLicense: one license against this device, a trial told what the device has seen of time. */
static void check_license(session *s, const license_text *license, sl_clock *clock, const char *feature, sl_verdict *verdict) {
  sl_clock_option option;
  sl_check_context context = {&s->device, s->roots, s->has_revocations ? &s->revocations : NULL, NULL, feature, s->now_ms};
  if (clock && is_trial(license)) {
    option = sl_trial_clock_option(clock, license->parsed.claims.jti);
    context.clock = &option;
  }
  sl_verify_parsed(&s->arena, license->ok ? &license->parsed : NULL, license->error, &context, verdict);
  if (verdict->code == SEATLOCK_CLOCK_ROLLED_BACK && clock && clock->status != SL_CLOCK_OK)
    verdict->message = sl_strdup(&s->arena, "The record of time this device keeps for its trial is missing or was altered; a trial cannot run.");
}

static const int PROGRESS[] = {[SEATLOCK_NO_LICENSE] = 0, [SEATLOCK_INVALID] = 1, [SEATLOCK_REVOKED] = 2, [SEATLOCK_PLATFORM_MISMATCH] = 3,
                               [SEATLOCK_DEVICE_MISMATCH] = 4, [SEATLOCK_CLOCK_ROLLED_BACK] = 5, [SEATLOCK_EXPIRED] = 6,
                               [SEATLOCK_FEATURE_NOT_LICENSED] = 7, [SEATLOCK_VALID] = 8};

/* A perpetual license outranks a trial; then the one that lasts longer, then the newer. */
static bool better(const sl_verdict *a, const sl_verdict *b) {
  double ra[4] = {PROGRESS[a->code], a->has_license && !a->license->trial ? 1 : 0, a->has_license && a->license->trial ? a->license->exp : SL_MAX_SAFE_INTEGER,
                  a->has_license ? a->license->iat : 0};
  double rb[4] = {PROGRESS[b->code], b->has_license && !b->license->trial ? 1 : 0, b->has_license && b->license->trial ? b->license->exp : SL_MAX_SAFE_INTEGER,
                  b->has_license ? b->license->iat : 0};
  for (int i = 0; i < 4; i++)
    if (ra[i] != rb[i]) return rb[i] > ra[i];
  return false;
}

static void copy_text(char *to, size_t size, const char *from) { snprintf(to, size, "%s", from ? from : ""); }

static void verdict_json(sl_buf *buf, const sl_verdict *v) {
  sl_buf_printf(buf, "{\"valid\":%s,\"code\":%d,\"status\":\"%s\",\"message\":", v->code == 0 ? "true" : "false", v->code, v->status);
  sl_json_string(buf, v->message, strlen(v->message));
  sl_buf_str(buf, ",\"license\":");
  if (v->has_license) {
    /* The claims as signed, less the fingerprint. */
    json_t *copy = json_copy(v->payload);
    json_object_del(copy, "fp");
    char *dumped = json_dumps(copy, JSON_COMPACT | JSON_ENSURE_ASCII);
    sl_buf_str(buf, dumped ? dumped : "null");
    free(dumped);
    json_decref(copy);
  } else {
    sl_buf_str(buf, "null");
  }
  sl_buf_str(buf, ",\"match\":");
  if (v->has_match) {
    sl_buf_str(buf, "{\"score\":");
    sl_js_number(buf, v->score);
    const sl_list *lists[2] = {&v->matched, &v->missing};
    const char *names[2] = {"matched", "missing"};
    for (int k = 0; k < 2; k++) {
      sl_buf_printf(buf, ",\"%s\":[", names[k]);
      for (size_t i = 0; i < lists[k]->count; i++) {
        if (i) sl_buf_char(buf, ',');
        sl_json_string(buf, lists[k]->items[i], strlen(lists[k]->items[i]));
      }
      sl_buf_char(buf, ']');
    }
    sl_buf_char(buf, '}');
  } else {
    sl_buf_str(buf, "null");
  }
  sl_buf_char(buf, '}');
}

static void fill_result(seatlock_result *result, const sl_verdict *v, bool want_json, sl_arena *arena) {
  memset(result, 0, sizeof *result);
  result->code = v->code;
  copy_text(result->status, sizeof result->status, v->status);
  copy_text(result->message, sizeof result->message, v->message);
  if (v->has_license) {
    copy_text(result->license_id, sizeof result->license_id, v->license->jti);
    copy_text(result->device_id, sizeof result->device_id, v->license->sub);
    copy_text(result->product, sizeof result->product, v->license->product);
    copy_text(result->kind, sizeof result->kind, v->license->kind);
    result->expires = v->license->trial ? (int64_t)v->license->exp : 0;
  }
  result->score = v->has_match ? v->score : 0;
  if (want_json) {
    sl_buf buf;
    sl_buf_init(&buf, arena);
    verdict_json(&buf, v);
    result->json = strdup(buf.data);
  }
}

static void refusal(sl_verdict *v, int code, char *message) {
  memset(v, 0, sizeof *v);
  v->code = code;
  v->status = sl_status_name(code);
  v->message = message;
}

/* Keeps `serial` as the newest list this device has seen (recordRevocationSerial). */
static int record_revocation_serial(session *s, double serial, char **error) {
  sl_stored *stored;
  size_t count;
  if (sl_store_licenses(&s->arena, &s->store, &stored, &count, error) != 0) return SEATLOCK_FAILED;
  bool holds_trial = false;
  for (size_t i = 0; i < count && !holds_trial; i++) {
    license_text license;
    read_license(s, stored[i].text, stored[i].length, &license);
    holds_trial = is_trial(&license);
    sl_parsed_license_release(&license.parsed);
  }
  size_t n;
  size_t *lengths;
  char **texts = sl_store_read_clocks(&s->arena, &s->store, &s->device.clock_dirs, &n, &lengths);
  sl_clock clock;
  sl_current_clock(&s->arena, texts, lengths, n, &s->device, s->now_ms, !holds_trial, &clock);
  if (clock.status != SL_CLOCK_OK || clock.record.revocation_serial >= serial) return 0;
  clock.record.revocation_serial = serial;
  return sl_store_write_clock(&s->arena, &s->store, &s->device.clock_dirs, sl_seal_clock(&s->arena, &clock.record, s->device.clock_key, NULL), error);
}

static int failure(seatlock_result *result, int code, const char *message) {
  memset(result, 0, sizeof *result);
  result->code = code;
  copy_text(result->status, sizeof result->status, code == SEATLOCK_USAGE ? "USAGE" : "FAILED");
  copy_text(result->message, sizeof result->message, message);
  return code;
}

int seatlock_verify(const seatlock_options *options, seatlock_result *result, int want_json) {
  session s;
  session_start(&s, options);
  sl_arena *arena = &s.arena;
  char *error = NULL;
  sl_verdict best = {0};
  sl_verdict *verdicts = NULL;
  license_text *licenses = NULL;
  size_t count = 0;
  sl_stored *stored;
  int status = sl_store_licenses(arena, &s.store, &stored, &count, &error);
  if (status) goto failed;
  if (count == 0) {
    refusal(&best, SEATLOCK_NO_LICENSE, sl_printf(arena, "No license is installed (%s).", s.store.license_dir));
    goto answer;
  }
  status = sl_read_device(arena, &s.options, &s.device, &error);
  if (status) goto failed;
  s.clock_texts = sl_store_read_clocks(arena, &s.store, &s.device.clock_dirs, &s.clock_count, &s.clock_lengths);
  s.seen_serial = sl_seen_revocation_serial(arena, s.clock_texts, s.clock_lengths, s.clock_count, s.device.clock_key);
  if (trust_roots(&s, &error) != 0 || installed_revocations(&s, &error) != 0) {
    refusal(&best, SEATLOCK_INVALID, error);
    goto answer;
  }
  /* Perpetual licenses ignore the clock: the record is then read for the newest revocation list only. */
  licenses = sl_alloc(arena, count * sizeof(license_text));
  bool holds_trial = false;
  for (size_t i = 0; i < count; i++) {
    read_license(&s, stored[i].text, stored[i].length, &licenses[i]);
    holds_trial = holds_trial || is_trial(&licenses[i]);
  }
  sl_clock clock;
  if (holds_trial) sl_current_clock(arena, s.clock_texts, s.clock_lengths, s.clock_count, &s.device, s.now_ms, false, &clock);
  verdicts = sl_alloc(arena, count * sizeof(sl_verdict));
  size_t best_index = 0;
  for (size_t i = 0; i < count; i++) {
    check_license(&s, &licenses[i], holds_trial ? &clock : NULL, s.options.feature, &verdicts[i]);
    /* A trial copied in without `install` starts counting uptime when it is first seen. */
    if (holds_trial && verdicts[i].has_license && verdicts[i].license->trial)
      sl_clock_mark_install(arena, &clock.record, verdicts[i].license->jti, clock.record.uptime_ms);
    if (i > 0 && better(&verdicts[best_index], &verdicts[i])) best_index = i;
  }
  best = verdicts[best_index];
  if (holds_trial && clock.status == SL_CLOCK_OK) {
    double serial = s.has_revocations ? s.revocations.serial : 0;
    if (serial > clock.record.revocation_serial) clock.record.revocation_serial = serial;
    status = sl_store_write_clock(arena, &s.store, &s.device.clock_dirs, sl_seal_clock(arena, &clock.record, s.device.clock_key, NULL), &error);
    if (status) goto failed;
  } else if (s.has_revocations && s.revocations.serial > s.seen_serial) {
    status = record_revocation_serial(&s, s.revocations.serial, &error);
    if (status) goto failed;
  }
answer:
  fill_result(result, &best, want_json, arena);
  status = result->code;
  goto end;
failed:
  failure(result, status, error ? error : "failed");
end:
  for (size_t i = 0; verdicts && i < count; i++) sl_verdict_release(&verdicts[i]);
  for (size_t i = 0; licenses && i < count; i++) sl_parsed_license_release(&licenses[i].parsed);
  session_end(&s);
  return status;
}

/* ---- install ---- */
static int install_on_device(session *s, const char *text, size_t length, seatlock_result *result) {
  sl_arena *arena = &s->arena;
  char *error = NULL;
  size_t n;
  size_t *lengths;
  char **texts = sl_store_read_clocks(arena, &s->store, &s->device.clock_dirs, &n, &lengths);
  if (!s->roots && trust_roots(s, &error) != 0) return failure(result, SEATLOCK_FAILED, error);
  s->seen_serial = sl_seen_revocation_serial(arena, texts, lengths, n, s->device.clock_key);
  s->has_revocations = false;
  if (installed_revocations(s, &error) != 0) return failure(result, SEATLOCK_INVALID, error);
  license_text license;
  read_license(s, text, length, &license);
  bool trial = is_trial(&license);
  sl_clock clock;
  if (trial) sl_current_clock(arena, texts, lengths, n, &s->device, s->now_ms, true, &clock);
  sl_verdict verdict;
  check_license(s, &license, trial ? &clock : NULL, NULL, &verdict);
  sl_parsed_license_release(&license.parsed);
  if (verdict.code != SEATLOCK_VALID || !verdict.has_license) {
    fill_result(result, &verdict, false, arena);
    snprintf(result->message, sizeof result->message, "License refused: %s", verdict.message);
    sl_verdict_release(&verdict);
    return result->code;
  }
  int status = 0;
  if (trial) {
    sl_clock_mark_install(arena, &clock.record, verdict.license->jti, clock.record.uptime_ms);
    /* The clock record first: a crash before the license lands leaves "no license", not a trial without its record. */
    status = sl_store_write_clock(arena, &s->store, &s->device.clock_dirs, sl_seal_clock(arena, &clock.record, s->device.clock_key, NULL), &error);
  }
  if (!status) status = prepare(arena, &s->store, s->store.license_dir, &error);
  char *file = NULL;
  if (!status) {
    char *name = sl_strdup(arena, verdict.license->jti);
    for (char *p = name; *p; p++)
      if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-')) *p = '_';
    file = sl_printf(arena, "%s/%s.lic", s->store.license_dir, name);
    status = sl_write_atomic(arena, file, text, length, 0600, &error);
  }
  if (status) {
    sl_verdict_release(&verdict);
    return failure(result, status, error);
  }
  fill_result(result, &verdict, false, arena);
  snprintf(result->message, sizeof result->message, "installed: %s (%s), license %s, in %s", verdict.license->product, verdict.license->kind, verdict.license->jti, file);
  sl_verdict_release(&verdict);
  return 0;
}

static const char BUNDLE_HEADER[] = "SEATLOCK LICENSE BUNDLE 1";
#define TRAILER "index-at "
#define TRAILER_BYTES (sizeof TRAILER - 1 + 16 + 1)

/* The bundle's licenses filed under this device's strong component hashes (bundleCandidates). */
sl_list sl_bundle_candidates(sl_arena *arena, const sl_fingerprint *fingerprint, const char *data, size_t size, size_t **lengths) {
  sl_list out = {0};
  *lengths = NULL;
  size_t from = size > TRAILER_BYTES ? size - TRAILER_BYTES : 0;
  const char *trailer = data + from;
  size_t trailer_length = size - from;
  if (trailer_length < sizeof TRAILER - 1 || memcmp(trailer, TRAILER, sizeof TRAILER - 1) != 0) return out;
  /* Number(text): the digits (and a newline around them) as a whole number */
  char *digits = sl_trim(arena, trailer + sizeof TRAILER - 1, trailer_length - (sizeof TRAILER - 1));
  if (!*digits) return out;
  for (char *p = digits; *p; p++)
    if (*p < '0' || *p > '9') return out;
  double index_at = strtod(digits, NULL);
  if (index_at > SL_MAX_SAFE_INTEGER || index_at > (double)size - TRAILER_BYTES) return out;
  size_t at = (size_t)index_at;
  const char *index = data + at;
  size_t index_length = size - TRAILER_BYTES - at;
  sl_list lines = {0};
  for (size_t i = 0; i < fingerprint->count; i++) {
    const sl_component *c = &fingerprint->items[i];
    if (!c->strong) continue;
    char needle[24];
    snprintf(needle, sizeof needle, " %s", c->hash);
    const char *p = index;
    while ((p = memmem(p, (size_t)(index + index_length - p), needle, strlen(needle))) != NULL) {
      const char *line = p;
      while (line > index && line[-1] != '\n') line--;
      char *key = sl_printf(arena, "%zu", (size_t)(line - index));
      if (!sl_list_has(&lines, key)) sl_list_add(arena, &lines, key);
      p++;
    }
  }
  size_t count = lines.count;
  size_t *starts = sl_alloc(arena, (count + 1) * sizeof(size_t));
  for (size_t i = 0; i < count; i++) starts[i] = strtoull(lines.items[i], NULL, 10);
  for (size_t i = 1; i < count; i++)
    for (size_t k = i; k > 0 && starts[k - 1] > starts[k]; k--) {
      size_t t = starts[k];
      starts[k] = starts[k - 1];
      starts[k - 1] = t;
    }
  *lengths = sl_alloc(arena, (count + 1) * sizeof(size_t));
  for (size_t i = 0; i < count; i++) {
    const char *line = index + starts[i];
    const char *end = memchr(line, '\n', (size_t)(index + index_length - line));
    if (!end) end = index + index_length;
    unsigned long long offset = 0, length = 0;
    char *text = sl_strndup(arena, line, (size_t)(end - line));
    if (sscanf(text, "%llu %llu", &offset, &length) != 2 || offset > size) continue;
    if (length > size - offset) length = size - offset;
    size_t m;
    char *license = sl_utf8(arena, data + offset, (size_t)length, &m);
    (*lengths)[out.count] = m;
    sl_list_add(arena, &out, license);
  }
  return out;
}

int seatlock_install(const seatlock_options *options, const char *file, seatlock_result *result) {
  session s;
  session_start(&s, options);
  char *error = NULL;
  size_t size;
  char *data = sl_read_file(&s.arena, file, &size);
  if (!data) {
    failure(result, SEATLOCK_USAGE, "cannot read the license file");
    session_end(&s);
    return SEATLOCK_USAGE;
  }
  int status = sl_read_device(&s.arena, &s.options, &s.device, &error);
  if (status) {
    failure(result, status, error);
    session_end(&s);
    return status;
  }
  if (size >= sizeof BUNDLE_HEADER - 1 && memcmp(data, BUNDLE_HEADER, sizeof BUNDLE_HEADER - 1) == 0) {
    size_t *lengths;
    sl_list candidates = sl_bundle_candidates(&s.arena, &s.device.fingerprint, data, size, &lengths);
    status = -1;
    for (size_t i = 0; i < candidates.count && status != 0; i++) status = install_on_device(&s, candidates.items[i], lengths[i], result);
    if (status == -1) status = failure(result, SEATLOCK_DEVICE_MISMATCH, "License refused: the bundle holds no license for this device.");
  } else {
    size_t m;
    char *text = sl_utf8(&s.arena, data, size, &m);
    status = install_on_device(&s, text, m, result);
  }
  session_end(&s);
  return status;
}

/* ---- fingerprint and request ---- */
int seatlock_fingerprint(const seatlock_options *options, char **json, char *message, size_t message_size) {
  session s;
  session_start(&s, options);
  char *error = NULL;
  *json = NULL;
  int status = sl_read_device(&s.arena, &s.options, &s.device, &error);
  if (status) {
    sl_set_message(message, message_size, "%s", error);
    session_end(&s);
    return status;
  }
  sl_buf buf;
  sl_buf_init(&buf, &s.arena);
  const char *platform = s.device.platform;
  bool supported = strcmp(platform, "android") == 0 || strcmp(platform, "hisilicon-dv300") == 0;
  sl_buf_printf(&buf, "{\"platform\":\"%s\",\"supported\":%s,\"strong\":%s,\"fingerprint\":", platform, supported ? "true" : "false",
                sl_has_strong(&s.device.fingerprint) ? "true" : "false");
  sl_fingerprint_json(&buf, &s.device.fingerprint);
  sl_buf_char(&buf, '}');
  *json = strdup(buf.data);
  session_end(&s);
  return 0;
}

int seatlock_request(const seatlock_options *options, const char *activation_code, const char *out, char *written, size_t written_size, char *message,
                     size_t message_size) {
  session s;
  session_start(&s, options);
  sl_arena *arena = &s.arena;
  char *error = NULL;
  int status = sl_read_device(arena, &s.options, &s.device, &error);
  if (status) goto done;
  const sl_fingerprint *fp = &s.device.fingerprint;
  if (!sl_has_strong(fp)) {
    status = SEATLOCK_FAILED;
    error = sl_strdup(arena, "WEAK_FINGERPRINT: This device has no usable hardware identity: every strong component is missing or a placeholder.");
    goto done;
  }
  unsigned char nonce[16];
  sl_random(nonce, sizeof nonce);
  double now = s.now_ms;
  time_t seconds = (time_t)(now / 1000);
  struct tm tm;
  gmtime_r(&seconds, &tm);
  sl_buf body;
  sl_buf_init(&body, arena);
  sl_buf_str(&body, "{\"v\":1,\"type\":\"seatlock-activation-request\",\"activationCode\":");
  sl_json_string(&body, activation_code, strlen(activation_code));
  sl_buf_printf(&body, ",\"platform\":\"%s\",\"fingerprint\":", s.device.platform);
  sl_fingerprint_json(&body, fp);
  sl_buf_str(&body, ",\"declared\":[");
  bool first = true;
  for (size_t i = 0; i < fp->count; i++) {
    if (!sl_list_has(&s.device.declared, fp->items[i].name)) continue;
    if (!first) sl_buf_char(&body, ',');
    first = false;
    sl_json_string(&body, fp->items[i].name, strlen(fp->items[i].name));
  }
  sl_buf_printf(&body, "],\"nonce\":\"%s\",\"createdAt\":\"%04d-%02d-%02dT%02d:%02d:%02d.%03dZ\"}", sl_base64url(arena, nonce, 16), tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)((int64_t)now % 1000));
  char *encoded = sl_base64(arena, (const unsigned char *)body.data, body.length);
  sl_buf text;
  sl_buf_init(&text, arena);
  sl_buf_str(&text, "-----BEGIN SEATLOCK ACTIVATION REQUEST-----\n");
  for (size_t at = 0, n = strlen(encoded); at < n; at += 64) {
    sl_buf_add(&text, encoded + at, n - at < 64 ? n - at : 64);
    sl_buf_char(&text, '\n');
  }
  sl_buf_str(&text, "-----END SEATLOCK ACTIVATION REQUEST-----\n");
  const char *file = out;
  struct stat st;
  if (stat(out, &st) == 0 && S_ISDIR(st.st_mode)) {
    sl_list hashes = {0};
    for (size_t i = 0; i < fp->count; i++)
      if (fp->items[i].strong) sl_list_add(arena, &hashes, sl_printf(arena, "%s=%s", fp->items[i].name, fp->items[i].hash));
    sl_list_sort(&hashes);
    sl_buf joined;
    sl_buf_init(&joined, arena);
    for (size_t i = 0; i < hashes.count; i++) {
      if (i) sl_buf_char(&joined, '\n');
      sl_buf_str(&joined, hashes.items[i]);
    }
    unsigned char digest[32];
    sl_sha256(joined.data, joined.length, digest);
    char hex[17];
    for (int i = 0; i < 8; i++) snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    file = sl_printf(arena, "%s/%s-%s.req", out, s.device.platform, hex);
  }
  status = sl_write_atomic(arena, file, text.data, text.length, 0644, &error);
  if (!status) sl_set_message(written, written_size, "%s", file);
done:
  if (status) sl_set_message(message, message_size, "%s", error ? error : "failed");
  session_end(&s);
  return status;
}

void seatlock_free(void *pointer) { free(pointer); }
