#ifndef CITYMAP_CSPATIALITE_SHIM_H
#define CITYMAP_CSPATIALITE_SHIM_H
// Order matters: sqlite3.h must come before the SpatiaLite headers, which use its types.
#include <sqlite3.h>
#include <spatialite/gaiageo.h>
#include <spatialite.h>

/// SQLite's process-wide settings, which must come before its first use (sqlite3_config is variadic, so Swift
/// cannot call it). Multi-thread mode: no mutex per call on a connection (GRDB never uses one connection from two
/// threads at once); no memory statistics: no global mutex per allocation. Returns 0 when both took effect.
static inline int citymap_sqlite3_configure(void) {
    int a = sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    int b = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return a | b;
}
#endif
