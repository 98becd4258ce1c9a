# Warnings for qiscope's own targets only: imported targets' headers are SYSTEM, so Eigen's and
# Boost's warnings do not leak into our builds. A function rather than an INTERFACE target, so
# that nothing of it enters the exported link interface of the static library.
function(qiscope_enable_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
      # GCC 12 reports false -Wrestrict positives inside std::string at -O3 (GCC bug 105329).
      target_compile_options(${target} PRIVATE -Wno-restrict)
      if(QISCOPE_SANITIZE)
        # With the sanitizers GCC 12 also reports false -Wmaybe-uninitialized positives inside
        # std::function and std::regex (GCC bug 105562).
        target_compile_options(${target} PRIVATE -Wno-maybe-uninitialized)
      endif()
    endif()
    if(QISCOPE_WERROR)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  endif()
endfunction()
