#ifndef CITYMAP_CPROJ_SHIM_H
#define CITYMAP_CPROJ_SHIM_H
#include <proj.h>
#endif
