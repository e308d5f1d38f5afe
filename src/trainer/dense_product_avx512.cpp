// The AVX-512 copy of the trainer's products (dense_product.hpp); CMake compiles this file
// alone with -mavx512f -mavx512dq -mavx512vl -mfma, and dense_product.cpp calls it only on CPUs
// that have them and only when asked (ProductIsa::avx512): it rounds differently from the AVX2
// copy (another blocking), and the studies' numbers must be the same bits on every machine the
// project runs on, most of which have AVX2 + FMA only. Renamed as the AVX2 copy is, and for the
// same reasons (dense_product_avx2.cpp).
#define EIGEN_DONT_PARALLELIZE
#define Eigen wgf_eigen_avx512
#define WGF_PRODUCT_NAMESPACE product_avx512
#include "dense_product_kernels.inl"
