#ifndef CITYMAP_GEO_LIBRARIES_H
#define CITYMAP_GEO_LIBRARIES_H
// PROJ and SpatiaLite, loaded on first use instead of when the program starts.
//
// Linked the usual way, the two libraries and their dependencies (GEOS, libxml2, curl with GnuTLS and Kerberos,
// libtiff, ICU: about fifty shared objects) are mapped and relocated before `main` of every command, 15 ms of
// the 20 a `citymap --help` took, and an export of reports calls neither. Here they are opened with dlopen the first
// time a projection or a SpatiaLite connection is asked for, possibly on another thread while the database opens.
// Only the headers come from libproj-dev and libspatialite-dev; the functions are reached through these wrappers.
#include <sqlite3.h>
#include <proj.h>

/// Opens PROJ (once per process; later and concurrent calls wait for the first). NULL when it is ready,
/// otherwise a sentence saying which library could not be opened and why.
const char *citymap_load_proj(void);
/// Opens SpatiaLite, and PROJ with it (SpatiaLite links PROJ). NULL when ready, otherwise the reason.
const char *citymap_load_spatialite(void);

// PROJ, callable after citymap_load_proj() returned NULL.
/// A context that finds proj.db where PROJ looks for it (EPSG codes, `proj_create_crs_to_crs`). Contexts made by
/// PROJ's own `proj_context_create`, such as SpatiaLite's, read no data files: see `load_proj`.
PJ_CONTEXT *citymap_proj_context_create(void);
/// A context that reads none of PROJ's data files, for a transformation given as a PROJ string that needs none
/// (no grids, no EPSG codes). PROJ 9.1 opens proj.db for every proj_create otherwise: 5–8 ms of reading its
/// schema, which PROJ 9.2 no longer does for PROJ strings.
PJ_CONTEXT *citymap_proj_context_create_without_data(void);
PJ_CONTEXT *citymap_proj_context_destroy(PJ_CONTEXT *ctx);
PJ *citymap_proj_create(PJ_CONTEXT *ctx, const char *definition);
PJ *citymap_proj_create_crs_to_crs(PJ_CONTEXT *ctx, const char *source, const char *target, PJ_AREA *area);
PJ *citymap_proj_normalize_for_visualization(PJ_CONTEXT *ctx, const PJ *obj);
PJ *citymap_proj_destroy(PJ *p);
size_t citymap_proj_trans_generic(PJ *p, PJ_DIRECTION direction,
                                  double *x, size_t sx, size_t nx, double *y, size_t sy, size_t ny,
                                  double *z, size_t sz, size_t nz, double *t, size_t st, size_t nt);
int citymap_proj_errno_reset(const PJ *p);
int citymap_proj_errno(const PJ *p);
const char *citymap_proj_errno_string(int err);
int citymap_proj_context_errno(PJ_CONTEXT *ctx);
const char *citymap_proj_context_errno_string(PJ_CONTEXT *ctx, int err);

// SpatiaLite, callable after citymap_load_spatialite() returned NULL.
void *citymap_spatialite_alloc_connection(void);
void citymap_spatialite_init_ex(sqlite3 *db, const void *cache, int verbose);
void citymap_spatialite_cleanup_ex(const void *cache);
#endif
