#pragma once
// WGF_HOST_DEVICE marks small arithmetic functions that compile for the host and, under nvcc,
// for the device too: the CPU reference and the CUDA kernel then run one and the same code
// (llm.c style), and a host test of the function checks what the GPU computes.
#if defined(__CUDACC__)
#define WGF_HOST_DEVICE __host__ __device__ __forceinline__
#else
#define WGF_HOST_DEVICE inline
#endif
