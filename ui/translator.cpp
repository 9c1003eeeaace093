#include "translator.h"

#include "server/core/logging.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace mmv {

namespace {
const auto AppTranslatorName = QStringLiteral("mmv_app_translator");
const auto QtTranslatorName = QStringLiteral("mmv_qt_translator");

void removeTranslator(QCoreApplication &app, const QString &objectName)
{
    const auto translators
        = app.findChildren<QTranslator *>(objectName, Qt::FindDirectChildrenOnly);
    for (QTranslator *translator : translators) {
        QCoreApplication::removeTranslator(translator);
        delete translator;
    }
}

bool install(QCoreApplication &app, const QString &objectName, const QLocale &locale,
             const QString &fileName, const QString &directory)
{
    auto *translator = new QTranslator(&app);
    translator->setObjectName(objectName);
    if (!translator->load(locale, fileName, QStringLiteral("_"), directory)) {
        delete translator;
        return false;
    }
    QCoreApplication::installTranslator(translator);
    return true;
}
} // namespace

bool installTranslations(QCoreApplication &app, const QString &language)
{
    removeTranslator(app, AppTranslatorName);
    removeTranslator(app, QtTranslatorName);

    const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
    // QLocale("xx") silently becomes the C locale: that is a missing language, not English.
    const bool isC = locale.language() == QLocale::C;
    const bool isEnglish = locale.language() == QLocale::English
        || (isC && (language.isEmpty() || language == QLatin1String("C")));

    install(app, QtTranslatorName, locale, QStringLiteral("qtbase"),
            QLibraryInfo::path(QLibraryInfo::TranslationsPath));

    if (!isC
        && install(app, AppTranslatorName, locale, QStringLiteral("multimodelvideo"),
                   QStringLiteral(":/i18n"))) {
        qCDebug(lcUi) << "Installed the translation for" << locale.name();
        return true;
    }
    if (isEnglish)
        return true;

    if (language.isEmpty())
        qCInfo(lcUi) << "No translation for the system language" << locale.name()
                     << "- the interface stays in English";
    else
        qCWarning(lcUi) << "No translation for the language" << language
                        << "- the interface stays in English";
    return false;
}

} // namespace mmv
