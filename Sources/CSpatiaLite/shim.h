#ifndef CITYMAP_CSPATIALITE_SHIM_H
#define CITYMAP_CSPATIALITE_SHIM_H
// Order matters: sqlite3.h must come before the SpatiaLite headers, which use its types.
#include <sqlite3.h>
#include <spatialite/gaiageo.h>
#include <spatialite.h>
#endif
