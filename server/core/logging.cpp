#include "logging.h"

Q_LOGGING_CATEGORY(lcApp, "mmv.app")
Q_LOGGING_CATEGORY(lcHttp, "mmv.http")
Q_LOGGING_CATEGORY(lcEngineIo, "mmv.engineio")
Q_LOGGING_CATEGORY(lcSocketIo, "mmv.socketio")
Q_LOGGING_CATEGORY(lcRedis, "mmv.redis")
Q_LOGGING_CATEGORY(lcAnalysis, "mmv.analysis")
Q_LOGGING_CATEGORY(lcUi, "mmv.ui")
