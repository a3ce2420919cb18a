/* The sealed clock record (agent/src/clock.ts, shared/src/license/clock.ts). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

static sl_install_mark *find_install(const sl_clock_record *record, const char *id) {
  for (size_t i = 0; i < record->install_count; i++)
    if (strcmp(record->installs[i].id, id) == 0) return &record->installs[i];
  return NULL;
}

bool sl_clock_install_of(const sl_clock_record *record, const char *id, double *at) {
  sl_install_mark *mark = find_install(record, id);
  if (mark && at) *at = mark->at;
  return mark != NULL;
}

/* installs[id] ??= at */
void sl_clock_mark_install(sl_arena *arena, sl_clock_record *record, const char *id, double at) {
  if (find_install(record, id)) return;
  if (record->install_count == record->install_capacity) {
    size_t capacity = record->install_capacity ? record->install_capacity * 2 : 8;
    sl_install_mark *grown = sl_alloc(arena, capacity * sizeof(sl_install_mark));
    if (record->install_count) memcpy(grown, record->installs, record->install_count * sizeof(sl_install_mark));
    record->installs = grown;
    record->install_capacity = capacity;
  }
  record->installs[record->install_count++] = (sl_install_mark){sl_strdup(arena, id), at};
}

static bool finite_number(const json_t *v) { return sl_is_number(v) && isfinite(sl_number(v)); }

/* One copy: SL_CLOCK_OK with the record when it carries this device's seal. */
static enum sl_clock_status open_clock(sl_arena *arena, const char *text, size_t length, const unsigned char key[32], sl_clock_record *record) {
  if (!text) return SL_CLOCK_MISSING;
  enum sl_clock_status status = SL_CLOCK_TAMPERED;
  json_t *outer = sl_json_parse(text, length), *inner = NULL;
  if (!outer || json_is_null(outer)) goto done;
  json_t *body = json_is_object(outer) ? json_object_get(outer, "body") : NULL;
  json_t *mac = json_is_object(outer) ? json_object_get(outer, "mac") : NULL;
  if (!json_is_string(body) || !json_is_string(mac)) goto done;
  unsigned char expected[32];
  sl_hmac_sha256(key, 32, json_string_value(body), json_string_length(body), expected);
  size_t given_length;
  unsigned char *given = sl_base64_lenient(arena, json_string_value(mac), json_string_length(mac), &given_length);
  if (given_length != 32) goto done;
  unsigned char difference = 0;
  for (size_t i = 0; i < 32; i++) difference |= (unsigned char)(given[i] ^ expected[i]);
  if (difference) goto done;
  inner = sl_json_parse(json_string_value(body), json_string_length(body));
  if (!inner || !json_is_object(inner)) goto done;
  json_t *state = json_object_get(inner, "state");
  json_t *v = json_is_object(state) ? json_object_get(state, "v") : NULL;
  if (!json_is_object(state) || !sl_is_number(v) || sl_number(v) != 1) goto done;
  json_t *high = json_object_get(state, "highWaterMs"), *uptime = json_object_get(state, "uptimeMs");
  json_t *boot_uptime = json_object_get(state, "bootUptimeMs"), *boot_id = json_object_get(state, "bootId");
  if (!finite_number(high) || !finite_number(uptime) || !finite_number(boot_uptime) || !json_is_string(boot_id)) goto done;
  json_t *installs = json_object_get(inner, "installs");
  if (!json_is_object(installs)) goto done;
  json_t *seq = json_object_get(inner, "seq"), *serial = json_object_get(inner, "revocationSerial");
  if (seq && !json_is_null(seq) && !sl_is_safe_integer(seq)) goto done;
  if (serial && !json_is_null(serial) && !sl_is_safe_integer(serial)) goto done;
  memset(record, 0, sizeof *record);
  record->seq = seq && !json_is_null(seq) ? sl_number(seq) : 0;
  record->revocation_serial = serial && !json_is_null(serial) ? sl_number(serial) : 0;
  record->high_water_ms = sl_number(high);
  record->uptime_ms = sl_number(uptime);
  record->boot_uptime_ms = sl_number(boot_uptime);
  record->boot_id = sl_strndup(arena, json_string_value(boot_id), json_string_length(boot_id));
  const char *id;
  json_t *at;
  json_object_foreach(installs, id, at) {
    /* Only the agent's own numbers are read: a record with anything else was sealed by no agent. */
    if (!sl_is_number(at)) goto done;
    sl_clock_mark_install(arena, record, id, sl_number(at));
  }
  status = SL_CLOCK_OK;
done:
  json_decref(outer);
  json_decref(inner);
  return status;
}

/* Every copy that opens, merged: the newest copy's boot, and of every copy the most time seen, the earliest install of each trial, the newest revocation list. */
void sl_open_clocks(sl_arena *arena, char **texts, size_t *lengths, size_t count, const unsigned char key[32], sl_clock *out, bool *any_record) {
  memset(out, 0, sizeof *out);
  bool tampered = false, found = false;
  sl_clock_record newest = {0}, merged = {0};
  for (size_t i = 0; i < count; i++) {
    sl_clock_record record;
    enum sl_clock_status status = open_clock(arena, texts[i], lengths ? lengths[i] : (texts[i] ? strlen(texts[i]) : 0), key, &record);
    if (status == SL_CLOCK_TAMPERED) tampered = true;
    if (status != SL_CLOCK_OK) continue;
    if (!found) {
      newest = record;
      merged.high_water_ms = record.high_water_ms;
      merged.uptime_ms = record.uptime_ms;
      merged.revocation_serial = record.revocation_serial;
    } else {
      if (record.seq > newest.seq) newest = record;
      if (record.high_water_ms > merged.high_water_ms) merged.high_water_ms = record.high_water_ms;
      if (record.uptime_ms > merged.uptime_ms) merged.uptime_ms = record.uptime_ms;
      if (record.revocation_serial > merged.revocation_serial) merged.revocation_serial = record.revocation_serial;
    }
    for (size_t k = 0; k < record.install_count; k++) {
      sl_install_mark *mark = find_install(&merged, record.installs[k].id);
      if (mark) mark->at = fmin(mark->at, record.installs[k].at);
      else sl_clock_mark_install(arena, &merged, record.installs[k].id, record.installs[k].at);
    }
    found = true;
  }
  if (found) {
    merged.seq = newest.seq;
    merged.boot_id = newest.boot_id;
    merged.boot_uptime_ms = newest.boot_uptime_ms;
    out->status = SL_CLOCK_OK;
    out->record = merged;
  } else {
    out->status = tampered ? SL_CLOCK_TAMPERED : SL_CLOCK_MISSING;
  }
  if (any_record) *any_record = found;
}

double sl_seen_revocation_serial(sl_arena *arena, char **texts, size_t *lengths, size_t count, const unsigned char key[32]) {
  sl_clock clock;
  bool found;
  sl_open_clocks(arena, texts, lengths, count, key, &clock, &found);
  return found ? clock.record.revocation_serial : 0;
}

/* parseFloat: the longest decimal prefix, or NaN. */
static double js_parse_float(const char *text) {
  const char *p = text;
  size_t n = 0;
  if (p[n] == '+' || p[n] == '-') n++;
  if (strncmp(p + n, "Infinity", 8) == 0) return p[0] == '-' ? -INFINITY : INFINITY;
  size_t digits = 0;
  while (p[n] >= '0' && p[n] <= '9') n++, digits++;
  if (p[n] == '.') {
    n++;
    while (p[n] >= '0' && p[n] <= '9') n++, digits++;
  }
  if (digits == 0) return NAN;
  if (p[n] == 'e' || p[n] == 'E') {
    size_t e = n + 1;
    if (p[e] == '+' || p[e] == '-') e++;
    if (p[e] >= '0' && p[e] <= '9') {
      while (p[e] >= '0' && p[e] <= '9') e++;
      n = e;
    }
  }
  char buffer[512];
  if (n >= sizeof buffer) n = sizeof buffer - 1;
  memcpy(buffer, p, n);
  buffer[n] = 0;
  return strtod(buffer, NULL);
}

static double js_round(double x) {
  double r = floor(x);
  return x - r >= 0.5 ? r + 1 : r;
}

void sl_current_clock(sl_arena *arena, char **texts, size_t *lengths, size_t count, const sl_device *device, double now_ms, bool fresh, sl_clock *out) {
  sl_clock opened;
  bool kept;
  sl_open_clocks(arena, texts, lengths, count, device->clock_key, &opened, &kept);
  char *uptime_text = sl_sys_value(&device->sys, "proc/uptime");
  double seconds = NAN;
  if (uptime_text) {
    char *space = strchr(uptime_text, ' ');
    if (space) *space = 0;
    seconds = js_parse_float(uptime_text);
  }
  double uptime_ms = isfinite(seconds) ? js_round(seconds * 1000) : 0;
  char *boot_id = sl_sys_value(&device->sys, "proc/sys/kernel/random/boot_id");
  if (!boot_id) boot_id = sl_strdup(arena, "");
  memset(out, 0, sizeof *out);
  sl_clock_record *r = &out->record;
  if (!kept) {
    r->high_water_ms = now_ms;
    r->uptime_ms = uptime_ms;
    r->boot_uptime_ms = uptime_ms;
  } else {
    const sl_clock_record *s = &opened.record;
    bool same_boot = strcmp(s->boot_id, boot_id) == 0;
    double gained = same_boot ? fmax(0, uptime_ms - s->boot_uptime_ms) : uptime_ms;
    r->high_water_ms = fmax(s->high_water_ms, now_ms);
    r->uptime_ms = s->uptime_ms + gained;
    r->boot_uptime_ms = same_boot ? fmax(s->boot_uptime_ms, uptime_ms) : uptime_ms;
    for (size_t i = 0; i < s->install_count; i++) sl_clock_mark_install(arena, r, s->installs[i].id, s->installs[i].at);
    r->revocation_serial = s->revocation_serial;
  }
  r->boot_id = boot_id;
  r->seq = (kept ? opened.record.seq : 0) + 1;
  out->status = kept || fresh ? SL_CLOCK_OK : opened.status;
}

/* An array index as JavaScript orders object keys: canonical decimal below 2^32 - 1. */
static bool array_index(const char *key, double *value) {
  size_t n = strlen(key);
  if (n == 0 || n > 10 || (n > 1 && key[0] == '0')) return false;
  for (size_t i = 0; i < n; i++)
    if (key[i] < '0' || key[i] > '9') return false;
  *value = strtod(key, NULL);
  return *value < 4294967295.0;
}

static void json_number_or_int(sl_buf *buf, double v) { sl_js_number(buf, v); }

/* JSON.stringify(record) with an HMAC over it, as the agent writes clock.json. */
char *sl_seal_clock(sl_arena *arena, const sl_clock_record *record, const unsigned char key[32], size_t *length) {
  sl_buf body;
  sl_buf_init(&body, arena);
  sl_buf_str(&body, "{\"seq\":");
  json_number_or_int(&body, record->seq);
  sl_buf_str(&body, ",\"state\":{\"v\":1,\"highWaterMs\":");
  json_number_or_int(&body, record->high_water_ms);
  sl_buf_str(&body, ",\"uptimeMs\":");
  json_number_or_int(&body, record->uptime_ms);
  sl_buf_str(&body, ",\"bootId\":");
  sl_json_string(&body, record->boot_id, strlen(record->boot_id));
  sl_buf_str(&body, ",\"bootUptimeMs\":");
  json_number_or_int(&body, record->boot_uptime_ms);
  sl_buf_str(&body, "},\"installs\":{");
  /* Integer-like keys first, ascending, then the rest in insertion order. */
  bool *done = sl_alloc(arena, record->install_count + 1);
  bool first = true;
  for (;;) {
    size_t best = record->install_count;
    double best_value = 0, value;
    for (size_t i = 0; i < record->install_count; i++)
      if (!done[i] && array_index(record->installs[i].id, &value) && (best == record->install_count || value < best_value)) best = i, best_value = value;
    if (best == record->install_count) break;
    done[best] = true;
    if (!first) sl_buf_char(&body, ',');
    first = false;
    sl_json_string(&body, record->installs[best].id, strlen(record->installs[best].id));
    sl_buf_char(&body, ':');
    json_number_or_int(&body, record->installs[best].at);
  }
  for (size_t i = 0; i < record->install_count; i++) {
    if (done[i]) continue;
    if (!first) sl_buf_char(&body, ',');
    first = false;
    sl_json_string(&body, record->installs[i].id, strlen(record->installs[i].id));
    sl_buf_char(&body, ':');
    json_number_or_int(&body, record->installs[i].at);
  }
  sl_buf_str(&body, "},\"revocationSerial\":");
  json_number_or_int(&body, record->revocation_serial);
  sl_buf_char(&body, '}');
  unsigned char mac[32];
  sl_hmac_sha256(key, 32, body.data, body.length, mac);
  sl_buf out;
  sl_buf_init(&out, arena);
  sl_buf_str(&out, "{\"body\":");
  sl_json_string(&out, body.data, body.length);
  sl_buf_str(&out, ",\"mac\":\"");
  sl_buf_str(&out, sl_base64url(arena, mac, 32));
  sl_buf_str(&out, "\"}\n");
  if (length) *length = out.length;
  return out.data;
}

sl_clock_option sl_trial_clock_option(const sl_clock *clock, const char *license_id) {
  sl_clock_option option = {0};
  if (clock->status != SL_CLOCK_OK) {
    option.high_water_ms = SL_MAX_SAFE_INTEGER;
    return option;
  }
  option.high_water_ms = clock->record.high_water_ms;
  double at;
  if (sl_clock_install_of(&clock->record, license_id, &at)) {
    option.has_uptime = true;
    option.uptime_since_install_ms = clock->record.uptime_ms - at;
  }
  return option;
}
