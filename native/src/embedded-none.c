/* A build with nothing embedded: the root and the maker's config come from the options. */
#include "internal.h"
const char *const sl_embedded_root = NULL;
const char *const sl_embedded_config = NULL;
