/*
 * Built only for musl (LIBC=musl): Debian compiles its static mbedTLS, libsodium and jansson against
 * glibc with _FORTIFY_SOURCE, so they call glibc's checked variants of a few string and print
 * functions. These give the same behaviour: the check, then the plain function.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *__memcpy_chk(void *to, const void *from, size_t length, size_t room);
void *__memset_chk(void *to, int byte, size_t length, size_t room);
char *__strncpy_chk(char *to, const char *from, size_t length, size_t room);
void __explicit_bzero_chk(void *to, size_t length, size_t room) {
  if (length > room) abort();
  explicit_bzero(to, length);
}

int __printf_chk(int flag, const char *format, ...);
int __snprintf_chk(char *to, size_t length, int flag, size_t room, const char *format, ...);
int __vsnprintf_chk(char *to, size_t length, int flag, size_t room, const char *format, va_list args);
void __explicit_bzero_chk(void *to, size_t length, size_t room);

void *__memcpy_chk(void *to, const void *from, size_t length, size_t room) {
  if (length > room) abort();
  return memcpy(to, from, length);
}

void *__memset_chk(void *to, int byte, size_t length, size_t room) {
  if (length > room) abort();
  return memset(to, byte, length);
}

char *__strncpy_chk(char *to, const char *from, size_t length, size_t room) {
  if (length > room) abort();
  return strncpy(to, from, length);
}

int __printf_chk(int flag, const char *format, ...) {
  va_list args;
  va_start(args, format);
  int n = vprintf(format, args);
  va_end(args);
  return n;
}

int __vsnprintf_chk(char *to, size_t length, int flag, size_t room, const char *format, va_list args) {
  if (length > room) abort();
  return vsnprintf(to, length, format, args);
}

int __snprintf_chk(char *to, size_t length, int flag, size_t room, const char *format, ...) {
  va_list args;
  va_start(args, format);
  int n = __vsnprintf_chk(to, length, flag, room, format, args);
  va_end(args);
  return n;
}
