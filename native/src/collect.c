/* The device: the sysroot view, the platform collectors and the maker's config (agent/src/collect, config.ts, device.ts). */
#include <ctype.h>
#include <dirent.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "internal.h"

char *sl_sys_path(const sl_sysroot *sys, const char *relative) {
  while (*relative == '/') relative++;
  size_t n = strlen(sys->root);
  while (n > 1 && sys->root[n - 1] == '/') n--;
  if (n == 1 && sys->root[0] == '/') return sl_printf(sys->arena, "/%s", relative);
  return sl_printf(sys->arena, "%.*s/%s", (int)n, sys->root, relative);
}

char *sl_sys_text(const sl_sysroot *sys, const char *relative, size_t *length) {
  size_t n;
  char *bytes = sl_read_file(sys->arena, sl_sys_path(sys, relative), &n);
  if (!bytes) return NULL;
  return sl_utf8(sys->arena, bytes, n, length);
}

/* The first line, NULs removed, trimmed; NULL when unreadable or empty. */
char *sl_sys_value(const sl_sysroot *sys, const char *relative) {
  size_t n;
  char *text = sl_sys_text(sys, relative, &n);
  if (!text) return NULL;
  sl_buf line;
  sl_buf_init(&line, sys->arena);
  for (size_t i = 0; i < n; i++) {
    if (text[i] == 0) continue;
    if (text[i] == '\n') break;
    sl_buf_char(&line, text[i]);
  }
  char *value = sl_trim(sys->arena, line.data, line.length);
  return *value ? value : NULL;
}

sl_list sl_sys_list(const sl_sysroot *sys, const char *relative) {
  sl_list list = {0};
  DIR *dir = opendir(sl_sys_path(sys, relative));
  if (!dir) return list;
  struct dirent *entry;
  while ((entry = readdir(dir)) != NULL) {
    if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) continue;
    sl_list_add(sys->arena, &list, sl_utf8(sys->arena, entry->d_name, strlen(entry->d_name), NULL));
  }
  closedir(dir);
  sl_list_sort(&list);
  return list;
}

bool sl_sys_exists(const sl_sysroot *sys, const char *relative) {
  struct stat st;
  return stat(sl_sys_path(sys, relative), &st) == 0;
}

char *sl_sys_link(const sl_sysroot *sys, const char *relative) {
  char target[4096];
  ssize_t n = readlink(sl_sys_path(sys, relative), target, sizeof target - 1);
  if (n < 0) return NULL;
  return sl_utf8(sys->arena, target, (size_t)n, NULL);
}

/* ---- the component registry (shared/src/fingerprint/components.ts) ---- */
static const struct { const char *name; sl_spec spec; } COMPONENTS[] = {
  {"soc.serial", {4, true}}, {"emmc.cid", {4, true}}, {"android.serial", {3, true}}, {"board.serial", {3, true}},
  {"system.uuid", {3, true}}, {"android.id", {1, false}}, {"machine.id", {1, false}},
};

bool sl_component_spec(const char *name, sl_spec *spec) {
  for (size_t i = 0; i < sizeof COMPONENTS / sizeof COMPONENTS[0]; i++) {
    if (strcmp(COMPONENTS[i].name, name) == 0) {
      if (spec) *spec = COMPONENTS[i].spec;
      return true;
    }
  }
  if (strncmp(name, "net.mac.", 8) == 0) {
    if (spec) *spec = (sl_spec){1, false};
    return true;
  }
  return false;
}

/* /^[a-z0-9][a-z0-9_-]*(\.[a-z0-9_-]+)+$/ */
static bool component_name(const char *name) {
  const char *p = name;
  if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))) return false;
  int dots = 0;
  bool after_dot = false;
  for (p = name + 1; *p; p++) {
    char c = *p;
    if (c == '.') {
      if (after_dot) return false;
      dots++;
      after_dot = true;
      continue;
    }
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
    after_dot = false;
  }
  return dots > 0 && !after_dot;
}
bool sl_component_name(const char *name);
bool sl_component_name(const char *name) { return component_name(name); }

/* ---- the device maker's config (agent/src/config.ts) ---- */
int sl_parse_config(sl_arena *arena, const char *text, size_t length, const char *source, sl_config *config, char **error) {
  memset(config, 0, sizeof *config);
  json_t *doc = sl_json_parse(text, length);
  int status = SEATLOCK_USAGE;
#define INVALID(...) do { *error = sl_printf(arena, "Invalid agent config %s: %s.", source, sl_printf(arena, __VA_ARGS__)); goto done; } while (0)
  if (!doc) INVALID("not JSON");
  if (!json_is_object(doc)) INVALID("expected an object");
  json_t *list = json_object_get(doc, "components");
  if (list && !json_is_null(list) && !json_is_array(list)) INVALID("components must be a list");
  size_t count = list && json_is_array(list) ? json_array_size(list) : 0;
  config->components = sl_alloc(arena, (count + 1) * sizeof(sl_declared_component));
  for (size_t i = 0; i < count; i++) {
    json_t *entry = json_array_get(list, i);
    json_t *name = json_is_object(entry) ? json_object_get(entry, "name") : NULL;
    json_t *file = json_is_object(entry) ? json_object_get(entry, "file") : NULL;
    json_t *weight = json_is_object(entry) ? json_object_get(entry, "weight") : NULL;
    json_t *strong = json_is_object(entry) ? json_object_get(entry, "strong") : NULL;
    const char *n = name && json_is_string(name) ? json_string_value(name) : NULL;
    if (!n || !component_name(n) || sl_utf16_length(n, strlen(n)) > 64)
      INVALID("components[%zu].name must be lower-case dotted words, e.g. \"hisi.chip-id\"", i);
    if (sl_component_spec(n, NULL))
      INVALID("components[%zu].name \"%s\" is a component the agent collects itself; give the declared one a name of its own, e.g. \"vendor.chip-id\"", i, n);
    for (size_t k = 0; k < config->count; k++)
      if (strcmp(config->components[k].name, n) == 0) INVALID("components[%zu].name \"%s\" is declared twice", i, n);
    if (!file || !json_is_string(file) || json_string_length(file) == 0) INVALID("components[%zu].file must name the file to read", i);
    if (!sl_is_number(weight) || !sl_is_safe_integer(weight) || sl_number(weight) < 1 || sl_number(weight) > 10)
      INVALID("components[%zu].weight must be an integer from 1 to 10", i);
    if (!strong || !json_is_boolean(strong)) INVALID("components[%zu].strong must be true or false", i);
    sl_declared_component *c = &config->components[config->count++];
    c->name = sl_strdup(arena, n);
    c->file = sl_strndup(arena, json_string_value(file), json_string_length(file));
    c->spec = (sl_spec){(int)sl_number(weight), json_is_true(strong)};
  }
  json_t *dirs = json_object_get(doc, "stateDirs");
  if (dirs && !json_is_null(dirs)) {
    bool ok = json_is_array(dirs);
    for (size_t i = 0; ok && i < json_array_size(dirs); i++) {
      json_t *dir = json_array_get(dirs, i);
      const char *d = json_is_string(dir) ? json_string_value(dir) : NULL;
      ok = d && d[0] == '/';
      /* no ".." path segment */
      for (const char *p = d; ok && p && *p; p++)
        if (p[0] == '.' && p[1] == '.' && (p == d || p[-1] == '/') && (p[2] == '/' || p[2] == 0)) ok = false;
      if (ok) sl_list_add(arena, &config->state_dirs, sl_strdup(arena, d));
    }
    if (!ok) INVALID("stateDirs must be a list of absolute directory paths, e.g. [\"/persist/seatlock\"]");
  }
#undef INVALID
  status = 0;
done:
  json_decref(doc);
  return status;
}

/* ---- readers (agent/src/collect/readers.ts) ---- */
static const char *DEVICE_TREE_DIRS[] = {"proc/device-tree", "sys/firmware/devicetree/base"};

static sl_list device_tree_strings(const sl_sysroot *sys, const char *property) {
  sl_list out = {0};
  for (size_t d = 0; d < 2; d++) {
    size_t n;
    char *text = sl_sys_text(sys, sl_printf(sys->arena, "%s/%s", DEVICE_TREE_DIRS[d], property), &n);
    if (!text) continue;
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
      if (i < n && text[i] != 0) continue;
      char *piece = sl_trim(sys->arena, text + start, i - start);
      if (*piece) sl_list_add(sys->arena, &out, piece);
      start = i + 1;
    }
    return out;
  }
  return out;
}

/* The next line of `text` (split on \n) from *at; false past the end. */
static bool next_line(const char *text, size_t n, size_t *at, const char **line, size_t *length) {
  if (*at > n) return false;
  const char *end = memchr(text + *at, '\n', n - *at);
  *line = text + *at;
  *length = end ? (size_t)(end - *line) : n - *at;
  *at += *length + 1;
  return true;
}

/* The value of `key` in /proc/cpuinfo (the last line naming it), or NULL. */
static char *cpuinfo(const sl_sysroot *sys, const char *key) {
  size_t n;
  char *text = sl_sys_text(sys, "proc/cpuinfo", &n);
  if (!text) return NULL;
  char *found = NULL;
  const char *line;
  size_t at = 0, length;
  while (next_line(text, n, &at, &line, &length)) {
    const char *colon = memchr(line, ':', length);
    if (colon && colon > line) {
      char *name = sl_trim(sys->arena, line, (size_t)(colon - line));
      if (strcmp(name, key) == 0) found = sl_trim(sys->arena, colon + 1, length - (size_t)(colon - line) - 1);
    }
  }
  return found;
}

/* /^"(.*)"$/ → $1 (a `.` does not match \r, \u2028 or \u2029). */
static char *unquote(sl_arena *arena, char *value) {
  size_t n = strlen(value);
  if (n < 2 || value[0] != '"' || value[n - 1] != '"') return value;
  for (size_t i = 1; i + 1 < n; i++) {
    if (value[i] == '\r' || value[i] == '\n') return value;
    if ((unsigned char)value[i] == 0xE2 && i + 2 < n && (unsigned char)value[i + 1] == 0x80 &&
        ((unsigned char)value[i + 2] == 0xA8 || (unsigned char)value[i + 2] == 0xA9))
      return value;
  }
  return sl_strndup(arena, value + 1, n - 2);
}

static char *boot_parameter(const sl_sysroot *sys, const char *name) {
  size_t n;
  char *text = sl_sys_text(sys, "proc/bootconfig", &n);
  if (text) {
    const char *line;
    size_t at = 0, length;
    while (next_line(text, n, &at, &line, &length)) {
      const char *eq = memchr(line, '=', length);
      size_t key_length = eq ? (size_t)(eq - line) : length;
      char *key = sl_trim(sys->arena, line, key_length);
      if (strcmp(key, name) == 0) {
        const char *rest = eq ? eq + 1 : line + length;
        return unquote(sys->arena, sl_trim(sys->arena, rest, (size_t)(line + length - rest)));
      }
    }
  }
  text = sl_sys_text(sys, "proc/cmdline", &n);
  if (!text) return NULL;
  size_t name_length = strlen(name);
  size_t at = 0;
  while (at <= n) {
    /* tokens split on runs of JavaScript whitespace */
    size_t start = at;
    size_t end = at;
    while (end < n) {
      size_t next = end;
      if (sl_js_space(sl_next_cp(text, n, &next))) break;
      end = next;
    }
    if (end - start > name_length && strncmp(text + start, name, name_length) == 0 && text[start + name_length] == '=')
      return unquote(sys->arena, sl_strndup(sys->arena, text + start + name_length + 1, end - start - name_length - 1));
    if (end >= n) break;
    at = end;
    while (at < n) {
      size_t next = at;
      if (!sl_js_space(sl_next_cp(text, n, &next))) break;
      at = next;
    }
    if (at >= n) break;
  }
  return NULL;
}

static void add_reading(sl_arena *arena, sl_reading **items, size_t *count, size_t *capacity, const char *name, char *value) {
  if (*count == *capacity) {
    size_t grown_capacity = *capacity ? *capacity * 2 : 16;
    sl_reading *grown = sl_alloc(arena, grown_capacity * sizeof(sl_reading));
    if (*count) memcpy(grown, *items, *count * sizeof(sl_reading));
    *items = grown;
    *capacity = grown_capacity;
  }
  sl_reading *r = &(*items)[(*count)++];
  r->name = sl_strdup(arena, name);
  r->value = value;
  r->declared = false;
  sl_component_spec(name, &r->spec);
}

typedef struct readings { sl_reading *items; size_t count, capacity; } readings;
#define ADD(list, name, value) add_reading(sys->arena, &(list)->items, &(list)->count, &(list)->capacity, (name), (value))

static bool digits_after(const char *s, size_t from) {
  if (!s[from]) return false;
  for (size_t i = from; s[i]; i++)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

static void emmc_cid(const sl_sysroot *sys, readings *out) {
  sl_list dirs = {0};
  sl_list block = sl_sys_list(sys, "sys/block");
  for (size_t i = 0; i < block.count; i++)
    if (strncmp(block.items[i], "mmcblk", 6) == 0 && digits_after(block.items[i], 6))
      sl_list_add(sys->arena, &dirs, sl_printf(sys->arena, "sys/block/%s/device", block.items[i]));
  sl_list hosts = sl_sys_list(sys, "sys/class/mmc_host");
  for (size_t h = 0; h < hosts.count; h++) {
    sl_list cards = sl_sys_list(sys, sl_printf(sys->arena, "sys/class/mmc_host/%s", hosts.items[h]));
    for (size_t c = 0; c < cards.count; c++) {
      const char *card = cards.items[c];
      size_t k = 3;
      if (strncmp(card, "mmc", 3) != 0) continue;
      while (card[k] >= '0' && card[k] <= '9') k++;
      if (k == 3 || card[k] != ':') continue;
      sl_list_add(sys->arena, &dirs, sl_printf(sys->arena, "sys/class/mmc_host/%s/%s", hosts.items[h], card));
    }
  }
  for (size_t i = 0; i < dirs.count; i++) {
    char *cid = sl_sys_value(sys, sl_printf(sys->arena, "%s/cid", dirs.items[i]));
    char *type = sl_sys_value(sys, sl_printf(sys->arena, "%s/type", dirs.items[i]));
    if (cid && type && strcmp(type, "MMC") == 0) {
      ADD(out, "emmc.cid", cid);
      return;
    }
  }
}

static void mac_addresses(const sl_sysroot *sys, readings *out, const char *only) {
  sl_list ifaces = sl_sys_list(sys, "sys/class/net");
  for (size_t i = 0; i < ifaces.count; i++) {
    const char *iface = ifaces.items[i];
    if (strcmp(iface, "lo") == 0 || (only && strcmp(iface, only) != 0)) continue;
    char *link = sl_sys_link(sys, sl_printf(sys->arena, "sys/class/net/%s", iface));
    if (link && strstr(link, "/virtual/")) continue;
    char *assign = sl_sys_value(sys, sl_printf(sys->arena, "sys/class/net/%s/addr_assign_type", iface));
    if (assign && strcmp(assign, "1") == 0) continue;
    char *address = sl_sys_value(sys, sl_printf(sys->arena, "sys/class/net/%s/address", iface));
    if (address) ADD(out, sl_printf(sys->arena, "net.mac.%s", iface), address);
  }
}

static void file_reading(const sl_sysroot *sys, readings *out, const char *name, const char *relative) {
  char *value = sl_sys_value(sys, relative);
  if (value) ADD(out, name, value);
}

/* /hisilicon|\bhi35\d\d/i */
static bool names_hisilicon(const char *text) {
  size_t n = strlen(text);
  for (size_t i = 0; i < n; i++) {
    if (i + 9 <= n && strncasecmp(text + i, "hisilicon", 9) == 0) return true;
    if (i + 6 <= n && strncasecmp(text + i, "hi35", 4) == 0 && isdigit((unsigned char)text[i + 4]) && isdigit((unsigned char)text[i + 5])) {
      char before = i > 0 ? text[i - 1] : ' ';
      if (!(isalnum((unsigned char)before) || before == '_')) return true;
    }
  }
  return false;
}

const char *sl_detect_platform(const sl_sysroot *sys) {
  if (sl_sys_exists(sys, "system/build.prop") || sl_sys_exists(sys, "vendor/build.prop")) return "android";
  sl_list compatible = device_tree_strings(sys, "compatible");
  for (size_t i = 0; i < compatible.count; i++)
    if (names_hisilicon(compatible.items[i])) return "hisilicon-dv300";
  char *hardware = cpuinfo(sys, "Hardware");
  if (hardware && names_hisilicon(hardware)) return "hisilicon-dv300";
  return "linux";
}

static void collect(const sl_sysroot *sys, const sl_config *config, const char **platform, readings *out) {
  *platform = sl_detect_platform(sys);
  if (strcmp(*platform, "android") == 0) {
    char *serialno = boot_parameter(sys, "androidboot.serialno");
    if (serialno && *serialno) ADD(out, "android.serial", serialno);
    file_reading(sys, out, "soc.serial", "sys/devices/soc0/serial_number");
    emmc_cid(sys, out);
    mac_addresses(sys, out, NULL);
  } else if (strcmp(*platform, "hisilicon-dv300") == 0) {
    char *serial = cpuinfo(sys, "Serial");
    sl_list board = device_tree_strings(sys, "serial-number");
    emmc_cid(sys, out);
    if (serial && *serial) ADD(out, "soc.serial", serial);
    if (board.count > 0) ADD(out, "board.serial", board.items[0]);
    mac_addresses(sys, out, "eth0");
  } else {
    char *serial = cpuinfo(sys, "Serial");
    file_reading(sys, out, "system.uuid", "sys/class/dmi/id/product_uuid");
    file_reading(sys, out, "board.serial", "sys/class/dmi/id/board_serial");
    if (serial && *serial) ADD(out, "soc.serial", serial);
    file_reading(sys, out, "machine.id", "etc/machine-id");
    mac_addresses(sys, out, NULL);
  }
  for (size_t i = 0; i < config->count; i++) {
    char *value = sl_sys_value(sys, config->components[i].file);
    if (!value) continue;
    ADD(out, config->components[i].name, value);
    out->items[out->count - 1].spec = config->components[i].spec;
    out->items[out->count - 1].declared = true;
  }
}

static int load_config(sl_arena *arena, const seatlock_options *options, sl_config *config, char **error) {
  if (sl_embedded_config) return sl_parse_config(arena, sl_embedded_config, strlen(sl_embedded_config), "(embedded at build time)", config, error);
  if (options->config_json) return sl_parse_config(arena, options->config_json, strlen(options->config_json), "(given)", config, error);
  memset(config, 0, sizeof *config);
  return 0;
}

int sl_read_device(sl_arena *arena, const seatlock_options *options, sl_device *device, char **error) {
  memset(device, 0, sizeof *device);
  device->sys.arena = arena;
  device->sys.root = options->sysroot ? options->sysroot : "/";
  sl_config config;
  int status = load_config(arena, options, &config, error);
  if (status) return status;
  readings found = {0};
  collect(&device->sys, &config, &device->platform, &found);
  sl_list strong = {0};
  for (size_t i = 0; i < found.count; i++) {
    sl_reading *r = &found.items[i];
    char *normalized = sl_normalize(arena, r->name, r->value);
    if (sl_is_placeholder(arena, r->name, normalized)) continue;
    char hash[23];
    sl_hash_component(r->name, normalized, hash);
    sl_fingerprint_put(arena, &device->fingerprint, r->name, hash, r->spec.weight, r->spec.strong);
    if (r->spec.strong) sl_list_add(arena, &strong, sl_printf(arena, "%s=%s", r->name, normalized));
  }
  for (size_t i = 0; i < config.count; i++) sl_list_add(arena, &device->declared, config.components[i].name);
  for (size_t i = 0; i < config.state_dirs.count; i++) sl_list_add(arena, &device->clock_dirs, sl_sys_path(&device->sys, config.state_dirs.items[i]));
  sl_list_sort(&strong);
  sl_buf joined;
  sl_buf_init(&joined, arena);
  for (size_t i = 0; i < strong.count; i++) {
    if (i) sl_buf_char(&joined, '\n');
    sl_buf_str(&joined, strong.items[i]);
  }
  static const char CLOCK_KEY[] = "seatlock/clock/v1";
  sl_hmac_sha256(CLOCK_KEY, sizeof CLOCK_KEY - 1, joined.data, joined.length, device->clock_key);
  return 0;
}
