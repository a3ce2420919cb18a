/*
 * seatlock-threads N FEATURE: N threads run the boot check at once on one board (the paths from
 * SEATLOCK_SYSROOT, SEATLOCK_HOME and SEATLOCK_TRUST_ROOT, as the demo reads them) and print each
 * verdict; built with ThreadSanitizer for test/native/threads.test.ts.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "seatlock.h"

typedef struct job { seatlock_options options; seatlock_result result; } job;

static void *check(void *argument) {
  job *j = argument;
  seatlock_verify(&j->options, &j->result, 1);
  return NULL;
}

static char *read_file(const char *path) {
  FILE *file = path ? fopen(path, "rb") : NULL;
  if (!file) return NULL;
  char *text = calloc(1, 65536);
  if (text) fread(text, 1, 65535, file);
  fclose(file);
  return text;
}

int main(int argc, char **argv) {
  if (argc != 3) return 2;
  int count = atoi(argv[1]);
  if (count < 1 || count > 64) return 2;
  char *root = read_file(getenv("SEATLOCK_TRUST_ROOT"));
  job jobs[64];
  pthread_t threads[64];
  for (int i = 0; i < count; i++) {
    memset(&jobs[i], 0, sizeof jobs[i]);
    jobs[i].options.sysroot = getenv("SEATLOCK_SYSROOT");
    jobs[i].options.home = getenv("SEATLOCK_HOME");
    jobs[i].options.trust_root_pem = root;
    jobs[i].options.feature = argv[2];
    if (pthread_create(&threads[i], NULL, check, &jobs[i]) != 0) return 1;
  }
  for (int i = 0; i < count; i++) {
    pthread_join(threads[i], NULL);
    printf("%d %s\n", jobs[i].result.code, jobs[i].result.json ? jobs[i].result.json : "");
    seatlock_free(jobs[i].result.json);
  }
  free(root);
  return 0;
}
