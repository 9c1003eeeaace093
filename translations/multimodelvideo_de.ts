<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>UiText</name>
    <message>
        <location filename="../ui/uitext.cpp" line="11"/>
        <source>Stopped</source>
        <translation>Gestoppt</translation>
    </message>
    <message>
        <location filename="../ui/uitext.cpp" line="13"/>
        <source>Starting…</source>
        <translation>Wird gestartet…</translation>
    </message>
    <message>
        <location filename="../ui/uitext.cpp" line="15"/>
        <source>Listening</source>
        <translation>Empfangsbereit</translation>
    </message>
    <message>
        <location filename="../ui/uitext.cpp" line="17"/>
        <source>Stopping…</source>
        <translation>Wird beendet…</translation>
    </message>
    <message>
        <location filename="../ui/uitext.cpp" line="19"/>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../ui/uitext.cpp" line="36"/>
        <source>%1 d %2</source>
        <extracomment>Uptime of more than a day: %1 is the number of days, %2 is hh:mm:ss.</extracomment>
        <translation>%1 T %2</translation>
    </message>
    <message>
        <location filename="../ui/uitext.cpp" line="44"/>
        <source>All interfaces (IPv4 and IPv6)</source>
        <translation>Alle Schnittstellen (IPv4 und IPv6)</translation>
    </message>
    <message>
        <location filename="../ui/uitext.cpp" line="46"/>
        <source>All IPv4 interfaces (0.0.0.0)</source>
        <translation>Alle IPv4-Schnittstellen (0.0.0.0)</translation>
    </message>
    <message>
        <location filename="../ui/uitext.cpp" line="48"/>
        <source>All IPv6 interfaces (::)</source>
        <translation>Alle IPv6-Schnittstellen (::)</translation>
    </message>
    <message>
        <location filename="../ui/uitext.cpp" line="50"/>
        <source>%1 (this computer only)</source>
        <translation>%1 (nur dieser Computer)</translation>
    </message>
    <message>
        <location filename="../ui/uitext.cpp" line="57"/>
        <source>Embedded (files in the data directory)</source>
        <translation>Eingebettet (Dateien im Datenverzeichnis)</translation>
    </message>
    <message>
        <location filename="../ui/uitext.cpp" line="59"/>
        <source>Redis</source>
        <translation>Redis</translation>
    </message>
    <message>
        <location filename="../ui/uitext.cpp" line="67"/>
        <source>Debug</source>
        <translation>Debug</translation>
    </message>
    <message>
        <location filename="../ui/uitext.cpp" line="69"/>
        <source>Info</source>
        <translation>Info</translation>
    </message>
    <message>
        <location filename="../ui/uitext.cpp" line="71"/>
        <source>Warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <location filename="../ui/uitext.cpp" line="73"/>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <location filename="../ui/uitext.cpp" line="75"/>
        <source>Fatal</source>
        <translation>Schwerwiegend</translation>
    </message>
</context>
<context>
    <name>mmv::ui::LogModel</name>
    <message>
        <location filename="../ui/models/logmodel.cpp" line="122"/>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <location filename="../ui/models/logmodel.cpp" line="124"/>
        <source>Level</source>
        <translation>Stufe</translation>
    </message>
    <message>
        <location filename="../ui/models/logmodel.cpp" line="126"/>
        <source>Category</source>
        <translation>Kategorie</translation>
    </message>
    <message>
        <location filename="../ui/models/logmodel.cpp" line="128"/>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
</context>
<context>
    <name>mmv::ui::LogPanel</name>
    <message>
        <location filename="../ui/widgets/logpanel.cpp" line="32"/>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <location filename="../ui/widgets/logpanel.cpp" line="43"/>
        <source>Warnings and errors</source>
        <translation>Warnungen und Fehler</translation>
    </message>
    <message>
        <location filename="../ui/widgets/logpanel.cpp" line="44"/>
        <source>Errors only</source>
        <translation>Nur Fehler</translation>
    </message>
    <message>
        <location filename="../ui/widgets/logpanel.cpp" line="46"/>
        <source>Filter by category or message</source>
        <translation>Nach Kategorie oder Meldung filtern</translation>
    </message>
    <message>
        <location filename="../ui/widgets/logpanel.cpp" line="49"/>
        <source>Remove every line from the log view</source>
        <translation>Alle Zeilen aus der Protokollansicht entfernen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/logpanel.cpp" line="81"/>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <location filename="../ui/widgets/logpanel.cpp" line="88"/>
        <source>&amp;Show:</source>
        <translation>&amp;Anzeigen:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/logpanel.cpp" line="164"/>
        <source>No warnings or errors so far.</source>
        <translation>Bisher keine Warnungen oder Fehler.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/logpanel.cpp" line="165"/>
        <source>No lines match the filter.</source>
        <translation>Keine Zeile passt zum Filter.</translation>
    </message>
</context>
<context>
    <name>mmv::ui::MainWindow</name>
    <message>
        <location filename="../ui/mainwindow.cpp" line="45"/>
        <source>MultiModelVideo — Operator Console</source>
        <translation>MultiModelVideo — Bedienkonsole</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="61"/>
        <source>Log</source>
        <translation>Protokoll</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="98"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="100"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="105"/>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="107"/>
        <source>&amp;Clear Log</source>
        <translation>Protokoll &amp;leeren</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="111"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="114"/>
        <source>&amp;About MultiModelVideo</source>
        <translation>Ü&amp;ber MultiModelVideo</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="117"/>
        <source>About &amp;Qt</source>
        <translation>Über &amp;Qt</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="165"/>
        <source>Port: %1</source>
        <translation>Port: %1</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="167"/>
        <source>Connections: %1</source>
        <translation>Verbindungen: %1</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="171"/>
        <source>Uptime: %1</source>
        <translation>Laufzeit: %1</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="181"/>
        <source>About MultiModelVideo</source>
        <translation>Über MultiModelVideo</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="182"/>
        <source>&lt;h3&gt;MultiModelVideo %1&lt;/h3&gt;&lt;p&gt;A video library and analysis server with a real-time Socket.IO interface for browsers on the local network.&lt;/p&gt;&lt;p&gt;Built with Qt %2.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;MultiModelVideo %1&lt;/h3&gt;&lt;p&gt;Ein Server für Videobibliothek und Videoanalyse mit einer Echtzeit-Socket.IO-Schnittstelle für Browser im lokalen Netzwerk.&lt;/p&gt;&lt;p&gt;Erstellt mit Qt %2.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>mmv::ui::ServerPanel</name>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="43"/>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="50"/>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="51"/>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="52"/>
        <source>Copy URL</source>
        <translation>URL kopieren</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="53"/>
        <source>Open in Browser</source>
        <translation>Im Browser öffnen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="80"/>
        <source>Double-click to open a URL in the browser; right-click to copy it.</source>
        <translation>Doppelklick öffnet eine URL im Browser, Rechtsklick kopiert sie.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="88"/>
        <source>Copy the selected URL to the clipboard</source>
        <translation>Ausgewählte URL in die Zwischenablage kopieren</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="90"/>
        <source>Open the selected URL in the web browser</source>
        <translation>Ausgewählte URL im Webbrowser öffnen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="102"/>
        <source>Status:</source>
        <translation>Status:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="104"/>
        <source>Address:</source>
        <translation>Adresse:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="105"/>
        <source>Port:</source>
        <translation>Port:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="106"/>
        <source>URLs:</source>
        <translation>URLs:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="107"/>
        <source>Storage:</source>
        <translation>Speicher:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="108"/>
        <source>Data directory:</source>
        <translation>Datenverzeichnis:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="109"/>
        <source>Uptime:</source>
        <translation>Laufzeit:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="110"/>
        <source>Connections:</source>
        <translation>Verbindungen:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="111"/>
        <source>Requests:</source>
        <translation>Anfragen:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="112"/>
        <source>Traffic:</source>
        <translation>Datenverkehr:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="139"/>
        <source>%1 (configured)</source>
        <translation>%1 (konfiguriert)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="141"/>
        <source>any free port</source>
        <translation>beliebiger freier Port</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="156"/>
        <source>%1 at %2</source>
        <translation>%1 auf %2</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="172"/>
        <source>%1 live clients, %2 HTTP connections</source>
        <translation>%1 Live-Clients, %2 HTTP-Verbindungen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="176"/>
        <source>%1 received, %2 sent</source>
        <translation>%1 empfangen, %2 gesendet</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="209"/>
        <source>URL copied to the clipboard: %1</source>
        <translation>URL in die Zwischenablage kopiert: %1</translation>
    </message>
</context>
<context>
    <name>mmv::ui::ViewerLinkPanel</name>
    <message>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="21"/>
        <source>Viewer link</source>
        <translation>Zuschauer-Link</translation>
    </message>
    <message>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="24"/>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="32"/>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="25"/>
        <source>Open in Browser</source>
        <translation>Im Browser öffnen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="28"/>
        <source>Operator token:</source>
        <translation>Operator-Token:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="31"/>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="182"/>
        <source>Show</source>
        <translation>Anzeigen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="49"/>
        <source>&lt;b&gt;Authentication is disabled.&lt;/b&gt; Anyone who can reach this computer on the network has full operator rights. Use this only on a network you trust.</source>
        <translation>&lt;b&gt;Die Authentifizierung ist deaktiviert.&lt;/b&gt; Jeder, der diesen Computer im Netzwerk erreicht, hat volle Operator-Rechte. Verwenden Sie das nur in einem Netzwerk, dem Sie vertrauen.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="62"/>
        <source>Available while the server is listening</source>
        <translation>Verfügbar, solange der Server empfangsbereit ist</translation>
    </message>
    <message>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="64"/>
        <source>Copy the viewer link to the clipboard</source>
        <translation>Zuschauer-Link in die Zwischenablage kopieren</translation>
    </message>
    <message>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="66"/>
        <source>Open the viewer link in the web browser</source>
        <translation>Zuschauer-Link im Webbrowser öffnen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="77"/>
        <source>Copy the operator token to the clipboard</source>
        <translation>Operator-Token in die Zwischenablage kopieren</translation>
    </message>
    <message>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="89"/>
        <source>Scan with a phone or tablet to open the viewer link</source>
        <translation>Mit einem Smartphone oder Tablet scannen, um den Zuschauer-Link zu öffnen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="110"/>
        <source>Viewers open this link to watch:</source>
        <translation>Zuschauer öffnen diesen Link:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="144"/>
        <source>No token is needed: authentication is disabled.</source>
        <translation>Kein Token nötig: Die Authentifizierung ist deaktiviert.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="146"/>
        <source>No viewer token is set.</source>
        <translation>Es ist kein Zuschauer-Token gesetzt.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="148"/>
        <source>The link includes the viewer token: share it only with people who may watch.</source>
        <translation>Der Link enthält das Zuschauer-Token: Geben Sie ihn nur an Personen weiter, die zuschauen dürfen.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="168"/>
        <source>Viewer link copied to the clipboard.</source>
        <translation>Zuschauer-Link in die Zwischenablage kopiert.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="182"/>
        <source>Hide</source>
        <translation>Verbergen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="183"/>
        <source>Hide the operator token</source>
        <translation>Operator-Token verbergen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="184"/>
        <source>Show the operator token</source>
        <translation>Operator-Token anzeigen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="192"/>
        <source>Operator token copied to the clipboard.</source>
        <translation>Operator-Token in die Zwischenablage kopiert.</translation>
    </message>
</context>
</TS>
