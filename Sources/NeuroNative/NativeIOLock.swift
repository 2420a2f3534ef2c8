import Foundation

/// One lock for every call into netcdf-c and HDF5.
///
/// netcdf-c is not thread-safe, and it drives HDF5 underneath; Debian's HDF5 is built thread-safe, but
/// HDF5 calls made directly on one thread while netcdf-c works on another crashed in testing. So both
/// libraries are entered by one thread at a time. Work between the calls (compression, resampling)
/// still runs in parallel. Recursive, because wrapper methods call each other.
package let nativeIOLock = NSRecursiveLock()
