/* A stand-in face SDK: what a vendor's SDK looks like when it checks its own license. */
#ifndef FACE_SDK_H
#define FACE_SDK_H
#include "seatlock.h"

typedef struct face_sdk face_sdk;

/* Checks the license for `feature` at init; NULL with the verdict in *code and `message` when it is refused. */
face_sdk *face_sdk_init(const seatlock_options *where, const char *feature, int *code, char *message, size_t message_size);
/* The licensed feature's work (a stand-in); refuses a feature the init did not check. */
int face_sdk_run(face_sdk *sdk, const char *feature);
void face_sdk_close(face_sdk *sdk);
#endif
