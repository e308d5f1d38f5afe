#pragma once
// Bessel functions of the first kind of orders 0 and 1, for the two-dimensional Hankel
// transform (hankel_transform.hpp).

namespace wgf {

// J0(z) and J1(z) together, to about 1e−16 absolute: Taylor tables below z = 25, Hankel's
// expansion above (about 10 ns; the d = 2 transform evaluates them once per panel).
void bessel_j0_j1(double z, double& j0, double& j1);

}  // namespace wgf
