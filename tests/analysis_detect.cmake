# Detector tests (server/analysis: FaceDetector, PeopleDetector, TrackBuilder). Included from
# tests/CMakeLists.txt, so paths are relative to tests/. The test decodes the sample media of
# opencv-doc and python3-imageio, and a clip it builds with the ffmpeg CLI, with OpenCV's
# videoio (FFmpeg backend).
find_package(OpenCV 4 REQUIRED COMPONENTS core imgproc imgcodecs videoio)
mmv_add_qtest(tst_detectors SOURCES unit/tst_detectors.cpp
              LIBS mmv_analysis Qt6::Core ${OpenCV_LIBS} LABELS unit analysis TIMEOUT 300)
target_include_directories(tst_detectors SYSTEM PRIVATE ${OpenCV_INCLUDE_DIRS})
# Detector speed and results on one video's samples, for tuning (tests/bench/).
add_executable(mmv_detector_bench bench/detector_bench.cpp)
target_link_libraries(mmv_detector_bench PRIVATE mmv_analysis Qt6::Core ${OpenCV_LIBS})
target_include_directories(mmv_detector_bench SYSTEM PRIVATE ${OpenCV_INCLUDE_DIRS})
