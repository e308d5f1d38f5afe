# The test `install_consumer`: install the build into a prefix inside it, check what the prefix
# holds, then configure, build and run tests/consumer against the prefix with the build's compiler.
#   cmake -DBUILD_DIR=… -DSOURCE_DIR=… -DLIBDIR=lib -DCXX_COMPILER=… [-DC_COMPILER=…]
#         [-DCXX_LAUNCHER=…] [-DBUILD_TYPE=…] [-DCUDA_ROOT=…] -P run.cmake
set(work ${BUILD_DIR}/consumer)
set(prefix ${work}/prefix)
file(REMOVE_RECURSE ${work})

function(step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE out)
  message("$ ${ARGN}\n${out}")
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "failed (${status}): ${ARGN}")
  endif()
  set(output "${out}" PARENT_SCOPE)
endfunction()

step(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})

# What the prefix must hold (docs/design.md §5, Package).
set(CMAKE_INSTALL_LIBDIR ${LIBDIR})
foreach(file bin/wgf share/wgf/plot.py share/wgf/plot_train.py include/wgf/kernel.hpp
             include/wgf/build_info.hpp ${CMAKE_INSTALL_LIBDIR}/libwgf_core.a
             ${CMAKE_INSTALL_LIBDIR}/cmake/wgf/wgfConfig.cmake
             ${CMAKE_INSTALL_LIBDIR}/cmake/wgf/wgfConfigVersion.cmake
             ${CMAKE_INSTALL_LIBDIR}/cmake/wgf/wgfTargets.cmake)
  if(NOT EXISTS ${prefix}/${file})
    message(FATAL_ERROR "the install put no ${file} under ${prefix}")
  endif()
endforeach()
file(GLOB_RECURSE templates ${prefix}/include/*.in)
file(GLOB_RECURSE probes ${prefix}/include/*probe*)
if(templates OR probes OR EXISTS ${prefix}/${CMAKE_INSTALL_LIBDIR}/libwgf_testing.a)
  message(FATAL_ERROR "the install holds files that are not the package's: ${templates} ${probes}")
endif()

# The installed program: its version, and the plot.py beside it rather than the source tree's.
step(${prefix}/bin/wgf --version)
if(NOT output MATCHES "^wgf [0-9]+\\.[0-9]+\\.[0-9]+\n$")
  message(FATAL_ERROR "wgf --version printed '${output}'")
endif()
step(${prefix}/bin/wgf info)
file(REAL_PATH ${prefix}/share/wgf/plot.py plot)
if(NOT output MATCHES "plot.py: +([^\n]*)\n" OR NOT CMAKE_MATCH_1 STREQUAL plot)
  message(FATAL_ERROR "the installed wgf does not use ${plot}")
endif()

set(configure ${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/consumer -B ${work}/build
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_CXX_COMPILER=${CXX_COMPILER})
if(C_COMPILER)  # the package enables C for FindHDF5
  list(APPEND configure -DCMAKE_C_COMPILER=${C_COMPILER})
endif()
if(CXX_LAUNCHER)
  list(APPEND configure -DCMAKE_CXX_COMPILER_LAUNCHER=${CXX_LAUNCHER})
endif()
if(BUILD_TYPE)
  list(APPEND configure -DCMAKE_BUILD_TYPE=${BUILD_TYPE})
endif()
if(CUDA_ROOT)
  list(APPEND configure -DCUDAToolkit_ROOT=${CUDA_ROOT})
endif()
step(${configure})
step(${CMAKE_COMMAND} --build ${work}/build)
step(${work}/build/app)
