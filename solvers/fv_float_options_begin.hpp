// (No include guard: included at the start of every header that defines finite-volume
// arithmetic, paired with fv_float_options_end.hpp at its end.)
//
// GCC host code between the two is compiled without FMA contraction and without trapping math
// (fv_cell_formulas.hpp says why); nvcc's passes take --fmad=false instead.
#if defined(__GNUC__) && !defined(__clang__) && !defined(__CUDACC__)
#pragma GCC push_options
#pragma GCC optimize("no-trapping-math", "fp-contract=off")
#endif
