#include "geo_libraries.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <spatialite.h>

// Each function's type is taken from the library's own header, so a wrapper cannot disagree with it.
#define PROJ_FUNCTIONS(X) \
    X(proj_context_create) X(proj_context_destroy) X(proj_create) X(proj_create_crs_to_crs) \
    X(proj_normalize_for_visualization) X(proj_destroy) X(proj_trans_generic) X(proj_errno_reset) X(proj_errno) \
    X(proj_errno_string) X(proj_context_errno) X(proj_context_errno_string) X(proj_context_set_search_paths) \
    X(proj_log_func) X(proj_info)
#define SPATIALITE_FUNCTIONS(X) X(spatialite_alloc_connection) X(spatialite_init_ex) X(spatialite_cleanup_ex)

#define POINTER(name) static __typeof__(name) *p_##name;
PROJ_FUNCTIONS(POINTER)
SPATIALITE_FUNCTIONS(POINTER)

static char proj_error[512], spatialite_error[512];

// The folders where PROJ looks for proj.db, as PROJ found them when it was opened (`load_proj`), for the contexts that
// need it (`citymap_proj_context_create`); its default context is then pointed at none.
enum { MAX_PROJ_PATHS = 16 };
static char proj_path_text[4096];
static const char *proj_paths[MAX_PROJ_PATHS];
static int proj_path_count;
static const char *const nowhere[] = {"/dev/null"}; // not a folder, so it cannot hold proj.db
static pthread_once_t proj_once = PTHREAD_ONCE_INIT, spatialite_once = PTHREAD_ONCE_INIT;

// The development package's unversioned name first (the headers compiled against), then the sonames of the
// releases Debian and Ubuntu ship, for a machine that has only the runtime package.
static void *open_first(const char *const *names, char *error, size_t size) {
    char reason[256] = "not found"; // copied: the next dlopen's failure overwrites dlerror's text
    for (const char *const *name = names; *name; name++) {
        void *handle = dlopen(*name, RTLD_LAZY | RTLD_LOCAL);
        if (handle) return handle;
        const char *e = dlerror();
        if (name == names && e) snprintf(reason, sizeof reason, "%s", e);
    }
    snprintf(error, size, "cannot open %s (%s)", names[0], reason);
    return NULL;
}

// Finds one function in an opened library; false (with the reason in `error`) when the library lacks it.
static int resolve(void *handle, const char *library, const char *name, void **slot, char *error, size_t size) {
    *slot = dlsym(handle, name);
    if (!*slot) snprintf(error, size, "%s has no function %s", library, name);
    return *slot != NULL;
}

#define RESOLVE(name) if (!resolve(handle, library, #name, (void **)&p_##name, error, size)) return;

static void load_proj(void) {
    static const char *const names[] = {"libproj.so", "libproj.so.25", "libproj.so.22", "libproj.so.19", NULL};
    const char *library = names[0];
    char *error = proj_error;
    size_t size = sizeof proj_error;
    void *handle = open_first(names, error, size);
    if (!handle) return;
    PROJ_FUNCTIONS(RESOLVE)
    // SpatiaLite makes a PROJ context for each connection cache, a copy of PROJ's default context, and opens
    // proj.db for it at once (`proj_context_get_database_path`): 7.5 of the 8 ms a cache took to make, on the
    // way of every `citymap log`. citymap never asks SpatiaLite to transform (no ST_Transform: `Projector` calls
    // PROJ itself), so the default context, and with it each of SpatiaLite's, gets no data folder, and the
    // contexts that need proj.db get PROJ's own folders back (`citymap_proj_context_create`).
    PJ_INFO info = p_proj_info();
    snprintf(proj_path_text, sizeof proj_path_text, "%s", info.searchpath ? info.searchpath : "");
    for (char *path = proj_path_text, *next; path && *path && proj_path_count < MAX_PROJ_PATHS; path = next) {
        next = strchr(path, ':'); // proj_info joins the folders with ':' on Linux
        if (next) *next++ = '\0';
        if (*path) proj_paths[proj_path_count++] = path;
    }
    p_proj_context_set_search_paths(NULL, 1, nowhere);
}

static void load_spatialite(void) {
    static const char *const names[] = {"libspatialite.so", "libspatialite.so.8", "libspatialite.so.7", NULL};
    const char *library = names[0];
    char *error = spatialite_error;
    size_t size = sizeof spatialite_error;
    const char *proj = citymap_load_proj();
    if (proj) { snprintf(error, size, "%s", proj); return; }
    void *handle = open_first(names, error, size);
    if (!handle) return;
    SPATIALITE_FUNCTIONS(RESOLVE)
}

const char *citymap_load_proj(void) {
    pthread_once(&proj_once, load_proj);
    return proj_error[0] ? proj_error : NULL;
}

const char *citymap_load_spatialite(void) {
    pthread_once(&spatialite_once, load_spatialite);
    return spatialite_error[0] ? spatialite_error : NULL;
}

PJ_CONTEXT *citymap_proj_context_create(void) {
    PJ_CONTEXT *ctx = p_proj_context_create();
    if (ctx && proj_path_count > 0) p_proj_context_set_search_paths(ctx, proj_path_count, proj_paths);
    return ctx;
}
static void ignore_message(void *data, int level, const char *message) { (void)data; (void)level; (void)message; }

PJ_CONTEXT *citymap_proj_context_create_without_data(void) {
    PJ_CONTEXT *ctx = p_proj_context_create();
    if (!ctx) return NULL;
    // A folder that cannot hold proj.db: PROJ then parses a PROJ string without opening the database, and says
    // so in a log line that is not wanted on the terminal.
    p_proj_context_set_search_paths(ctx, 1, nowhere);
    p_proj_log_func(ctx, NULL, ignore_message);
    return ctx;
}
PJ_CONTEXT *citymap_proj_context_destroy(PJ_CONTEXT *ctx) { return p_proj_context_destroy(ctx); }
PJ *citymap_proj_create(PJ_CONTEXT *ctx, const char *definition) { return p_proj_create(ctx, definition); }
PJ *citymap_proj_create_crs_to_crs(PJ_CONTEXT *ctx, const char *source, const char *target, PJ_AREA *area) {
    return p_proj_create_crs_to_crs(ctx, source, target, area);
}
PJ *citymap_proj_normalize_for_visualization(PJ_CONTEXT *ctx, const PJ *obj) {
    return p_proj_normalize_for_visualization(ctx, obj);
}
PJ *citymap_proj_destroy(PJ *p) { return p_proj_destroy(p); }
size_t citymap_proj_trans_generic(PJ *p, PJ_DIRECTION direction,
                                  double *x, size_t sx, size_t nx, double *y, size_t sy, size_t ny,
                                  double *z, size_t sz, size_t nz, double *t, size_t st, size_t nt) {
    return p_proj_trans_generic(p, direction, x, sx, nx, y, sy, ny, z, sz, nz, t, st, nt);
}
int citymap_proj_errno_reset(const PJ *p) { return p_proj_errno_reset(p); }
int citymap_proj_errno(const PJ *p) { return p_proj_errno(p); }
const char *citymap_proj_errno_string(int err) { return p_proj_errno_string(err); }
int citymap_proj_context_errno(PJ_CONTEXT *ctx) { return p_proj_context_errno(ctx); }
const char *citymap_proj_context_errno_string(PJ_CONTEXT *ctx, int err) { return p_proj_context_errno_string(ctx, err); }

void *citymap_spatialite_alloc_connection(void) { return p_spatialite_alloc_connection(); }
void citymap_spatialite_init_ex(sqlite3 *db, const void *cache, int verbose) { p_spatialite_init_ex(db, cache, verbose); }
void citymap_spatialite_cleanup_ex(const void *cache) { p_spatialite_cleanup_ex(cache); }
