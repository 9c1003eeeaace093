# Analysis engine tests (server/analysis: FrameSource, ShotDetector, keyframes, colours, audio,
# outline, VideoAnalyzer). Included from tests/CMakeLists.txt, so paths are relative to tests/.
# The tests build their clips with the ffmpeg CLI and use the sample videos of opencv-doc and
# python3-imageio (scripts/setup.sh installs all three).
add_executable(mmv_analysis_bench bench/analysis_bench.cpp)
target_link_libraries(mmv_analysis_bench PRIVATE mmv_analysis mmv_options Qt6::Core)
mmv_add_qtest(tst_shotdetector SOURCES unit/tst_shotdetector.cpp
              LIBS mmv_analysis LABELS unit analysis TIMEOUT 120)
mmv_add_qtest(tst_analysisparts SOURCES unit/tst_analysisparts.cpp
              LIBS mmv_analysis LABELS unit analysis TIMEOUT 60)
# Builds its pictures as AVFrames and watches swscale: libavutil and libswscale directly.
pkg_check_modules(MMV_TEST_AVUTIL REQUIRED IMPORTED_TARGET libavutil libswscale)
mmv_add_qtest(tst_pointsampler SOURCES unit/tst_pointsampler.cpp
              LIBS mmv_analysis PkgConfig::MMV_TEST_AVUTIL LABELS unit analysis TIMEOUT 60)
find_package(OpenCV 4 REQUIRED COMPONENTS core imgcodecs)
mmv_add_qtest(tst_videoanalyzer SOURCES integration/tst_videoanalyzer.cpp
              LIBS mmv_analysis ${OpenCV_LIBS} LABELS integration analysis TIMEOUT 300)
target_include_directories(tst_videoanalyzer SYSTEM PRIVATE ${OpenCV_INCLUDE_DIRS})
mmv_add_qtest(tst_framesource SOURCES integration/tst_framesource.cpp
              LIBS mmv_analysis LABELS integration analysis TIMEOUT 300)
mmv_add_qtest(tst_videolibrary SOURCES integration/tst_videolibrary.cpp
              LIBS mmv_analysis LABELS integration analysis TIMEOUT 120)
