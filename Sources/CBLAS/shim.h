#include <cblas.h>

/* LAPACK routines from the same libopenblas (Fortran calling convention). Debian's
   libopenblas-dev ships no lapack.h in the openblas include directory, so the few
   routines we use are declared here. */
void ssyevd_(const char *jobz, const char *uplo, const int *n, float *a, const int *lda,
             float *w, float *work, const int *lwork, int *iwork, const int *liwork, int *info);
void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda,
             double *w, double *work, const int *lwork, int *iwork, const int *liwork, int *info);
void dpotrf_(const char *uplo, const int *n, double *a, const int *lda, int *info);
