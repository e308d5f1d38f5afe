// The AVX2 + FMA copy of the trainer's products (dense_product.hpp); CMake compiles this file
// alone with -mavx2 -mfma, and dense_product.cpp calls it only on CPUs that have both.
//
// Eigen's templates instantiated here are AVX2 code. Under their usual names they would be
// merged at link time with the baseline instantiations of every other file, and the linker
// could keep either. Renaming the namespace makes them a private copy; and this copy does not
// thread its products (the callers thread over row slabs, row_slabs.hpp), whatever
// Eigen::setNbThreads says to the other one.
#define EIGEN_DONT_PARALLELIZE
#define Eigen wgf_eigen_avx2_fma
#define WGF_PRODUCT_NAMESPACE product_avx2_fma
#include "dense_product_kernels.inl"
