#ifndef CITYMAP_CSQLITE_SHIM_H
#define CITYMAP_CSQLITE_SHIM_H
#include <sqlite3.h>

/// SQLite's process-wide settings, which must come before its first use (sqlite3_config is variadic, so Swift
/// cannot call it). Multi-thread mode: no mutex per call on a connection (GRDB never uses one connection from two
/// threads at once); no memory statistics: no global mutex per allocation. Returns 0 when both took effect.
static inline int citymap_sqlite3_configure(void) {
    int a = sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    int b = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return a | b;
}
#endif
