#ifndef CHDF5_SHIM_H
#define CHDF5_SHIM_H
#include <hdf5.h>
/* HDF5's type and flag macros expand to `(H5OPEN H5T_NATIVE_DOUBLE_g)`, a comma expression Swift
   cannot import; the *_g globals are -1 until H5open() ran. These getters evaluate the real macros. */
static inline hid_t nt_H5T_NATIVE_DOUBLE(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t nt_H5T_NATIVE_FLOAT(void)  { return H5T_NATIVE_FLOAT; }
static inline hid_t nt_H5T_NATIVE_INT8(void)   { return H5T_NATIVE_INT8; }
static inline hid_t nt_H5T_NATIVE_UINT8(void)  { return H5T_NATIVE_UINT8; }
static inline hid_t nt_H5T_NATIVE_INT16(void)  { return H5T_NATIVE_INT16; }
static inline hid_t nt_H5T_NATIVE_UINT16(void) { return H5T_NATIVE_UINT16; }
static inline hid_t nt_H5T_NATIVE_INT32(void)  { return H5T_NATIVE_INT32; }
static inline hid_t nt_H5T_NATIVE_UINT32(void) { return H5T_NATIVE_UINT32; }
static inline hid_t nt_H5T_NATIVE_INT64(void)  { return H5T_NATIVE_INT64; }
static inline hid_t nt_H5T_NATIVE_UINT64(void) { return H5T_NATIVE_UINT64; }
static inline hid_t nt_H5T_C_S1(void)          { return H5T_C_S1; }
static inline hid_t nt_H5T_STD_REF_OBJ(void)   { return H5T_STD_REF_OBJ; }
static inline size_t nt_H5T_VARIABLE(void) { return H5T_VARIABLE; }
static inline hid_t nt_H5P_DEFAULT(void)       { return H5P_DEFAULT; }
static inline hid_t nt_H5S_ALL(void)           { return H5S_ALL; }
static inline hid_t nt_H5P_DATASET_CREATE(void){ return H5P_DATASET_CREATE; }
static inline hid_t nt_H5P_FILE_ACCESS(void)   { return H5P_FILE_ACCESS; }
static inline unsigned nt_H5F_ACC_RDONLY(void) { return H5F_ACC_RDONLY; }
static inline unsigned nt_H5F_ACC_TRUNC(void)  { return H5F_ACC_TRUNC; }
static inline unsigned nt_H5F_ACC_RDWR(void)   { return H5F_ACC_RDWR; }
/* Turn off HDF5's automatic error-stack printing (per thread in a threadsafe build). */
static inline void nt_H5_silence_errors(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }
/* Signature check without opening: >0 HDF5, 0 not HDF5, <0 error. */
static inline htri_t nt_H5_is_hdf5(const char *path) { return H5Fis_hdf5(path); }
#endif
