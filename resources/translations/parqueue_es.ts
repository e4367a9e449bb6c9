<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name>Actions</name>
    <message>
        <location filename="../../desktop_app/delegates.py" line="61"/>
        <source>Export Parquet…</source>
        <translation>Exportar Parquet…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/delegates.py" line="62"/>
        <source>Open folder</source>
        <translation>Abrir carpeta</translation>
    </message>
    <message>
        <location filename="../../desktop_app/delegates.py" line="63"/>
        <source>Pause</source>
        <translation>Pausar</translation>
    </message>
    <message>
        <location filename="../../desktop_app/delegates.py" line="64"/>
        <source>Resume</source>
        <translation>Reanudar</translation>
    </message>
    <message>
        <location filename="../../desktop_app/delegates.py" line="65"/>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location filename="../../desktop_app/delegates.py" line="66"/>
        <source>Retry</source>
        <translation>Reintentar</translation>
    </message>
    <message>
        <location filename="../../desktop_app/delegates.py" line="67"/>
        <source>Remove</source>
        <translation>Quitar</translation>
    </message>
</context>
<context>
    <name>CloseDialog</name>
    <message>
        <location filename="../../desktop_app/close_dialog.py" line="20"/>
        <source>Jobs are still running</source>
        <translation>Aún hay trabajos en marcha</translation>
    </message>
    <message>
        <location filename="../../desktop_app/close_dialog.py" line="21"/>
        <source>Some jobs have not finished yet.</source>
        <translation>Algunos trabajos aún no han terminado.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/close_dialog.py" line="22"/>
        <source>Keep processing them in the background, or stop now and resume them the next time Parqueue starts?</source>
        <translation>¿Seguir procesándolos en segundo plano, o detenerlos ahora y reanudarlos la próxima vez que se abra Parqueue?</translation>
    </message>
    <message>
        <location filename="../../desktop_app/close_dialog.py" line="25"/>
        <source>Keep processing in background</source>
        <translation>Seguir procesando en segundo plano</translation>
    </message>
    <message>
        <location filename="../../desktop_app/close_dialog.py" line="27"/>
        <source>Stop, resume next time</source>
        <translation>Detener y reanudar la próxima vez</translation>
    </message>
</context>
<context>
    <name>ColumnType</name>
    <message>
        <location filename="../../desktop_app/formatting.py" line="82"/>
        <location filename="../../desktop_app/formatting.py" line="83"/>
        <source>Whole number</source>
        <translation>Número entero</translation>
    </message>
    <message>
        <location filename="../../desktop_app/formatting.py" line="84"/>
        <location filename="../../desktop_app/formatting.py" line="85"/>
        <source>Number</source>
        <translation>Número</translation>
    </message>
    <message>
        <location filename="../../desktop_app/formatting.py" line="86"/>
        <source>Decimal</source>
        <translation>Decimal</translation>
    </message>
    <message>
        <location filename="../../desktop_app/formatting.py" line="87"/>
        <source>Yes / no</source>
        <translation>Sí / no</translation>
    </message>
    <message>
        <location filename="../../desktop_app/formatting.py" line="88"/>
        <source>Date</source>
        <translation>Fecha</translation>
    </message>
    <message>
        <location filename="../../desktop_app/formatting.py" line="89"/>
        <source>Date and time</source>
        <translation>Fecha y hora</translation>
    </message>
    <message>
        <location filename="../../desktop_app/formatting.py" line="90"/>
        <source>Time of day</source>
        <translation>Hora</translation>
    </message>
    <message>
        <location filename="../../desktop_app/formatting.py" line="91"/>
        <location filename="../../desktop_app/formatting.py" line="92"/>
        <source>Text</source>
        <translation>Texto</translation>
    </message>
    <message>
        <location filename="../../desktop_app/formatting.py" line="93"/>
        <source>Bytes</source>
        <translation>Bytes</translation>
    </message>
    <message>
        <location filename="../../desktop_app/formatting.py" line="94"/>
        <source>Empty</source>
        <translation>Vacía</translation>
    </message>
</context>
<context>
    <name>DetailsPane</name>
    <message>
        <location filename="../../desktop_app/details/pane.py" line="67"/>
        <source>Preview</source>
        <translation>Vista previa</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/pane.py" line="68"/>
        <source>Profile</source>
        <translation>Perfil</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/pane.py" line="69"/>
        <source>Output</source>
        <translation>Salida</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/pane.py" line="70"/>
        <source>Log</source>
        <translation>Registro</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/pane.py" line="83"/>
        <source>No job selected</source>
        <translation>Ningún trabajo seleccionado</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/pane.py" line="84"/>
        <source>Select a row to see its preview, profile, output and log.</source>
        <translation>Selecciona una fila para ver su vista previa, perfil, salida y registro.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/details/pane.py" line="110"/>
        <source>(and %n more in the Log tab)</source>
        <translation>
            <numerusform>(y %n más en la pestaña Registro)</numerusform>
            <numerusform>(y %n más en la pestaña Registro)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DropHighlight</name>
    <message>
        <location filename="../../desktop_app/drop_zone.py" line="122"/>
        <source>Drop to queue</source>
        <translation>Suelta para poner en cola</translation>
    </message>
</context>
<context>
    <name>DropZone</name>
    <message>
        <location filename="../../desktop_app/drop_zone.py" line="56"/>
        <source>Drop files or folders here</source>
        <translation>Suelta aquí archivos o carpetas</translation>
    </message>
    <message>
        <location filename="../../desktop_app/drop_zone.py" line="63"/>
        <source>CSV, Excel, text and images become typed Parquet.</source>
        <translation>CSV, Excel, textos e imágenes se convierten en Parquet tipado.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/drop_zone.py" line="67"/>
        <source>Add files…</source>
        <translation>Añadir archivos…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/drop_zone.py" line="68"/>
        <source>Add folder…</source>
        <translation>Añadir carpeta…</translation>
    </message>
</context>
<context>
    <name>Engine</name>
    <message>
        <location filename="../../desktop_app/engine.py" line="81"/>
        <source>The workers could not start; see the log for details.</source>
        <translation>Los trabajadores no pudieron arrancar; mira el registro para más detalles.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/engine.py" line="150"/>
        <source>Some files could not be queued: {0}</source>
        <translation>Algunos archivos no se pudieron poner en cola: {0}</translation>
    </message>
    <message>
        <location filename="../../desktop_app/engine.py" line="236"/>
        <source>{0} is still in progress; cancel it first.</source>
        <translation>{0} sigue en curso; cancélalo primero.</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <location filename="../../desktop_app/errors.py" line="53"/>
        <source>Parqueue — unexpected error</source>
        <translation>Parqueue: error inesperado</translation>
    </message>
    <message>
        <location filename="../../desktop_app/errors.py" line="55"/>
        <source>Something went wrong: {0}
Parqueue keeps running; the details are also in the log.</source>
        <translation>Algo salió mal: {0}
Parqueue sigue funcionando; los detalles también están en el registro.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/errors.py" line="62"/>
        <source>Copy details</source>
        <translation>Copiar detalles</translation>
    </message>
</context>
<context>
    <name>Format</name>
    <message>
        <location filename="../../desktop_app/formatting.py" line="31"/>
        <source>{n} rows/s</source>
        <translation>{n} filas/s</translation>
    </message>
</context>
<context>
    <name>JobKind</name>
    <message>
        <location filename="../../desktop_app/formatting.py" line="64"/>
        <source>Table</source>
        <translation>Tabla</translation>
    </message>
    <message>
        <location filename="../../desktop_app/formatting.py" line="65"/>
        <source>Text</source>
        <translation>Texto</translation>
    </message>
    <message>
        <location filename="../../desktop_app/formatting.py" line="66"/>
        <source>Image</source>
        <translation>Imagen</translation>
    </message>
</context>
<context>
    <name>JobState</name>
    <message>
        <location filename="../../desktop_app/formatting.py" line="54"/>
        <source>Queued</source>
        <translation>En cola</translation>
    </message>
    <message>
        <location filename="../../desktop_app/formatting.py" line="55"/>
        <source>Running</source>
        <translation>En curso</translation>
    </message>
    <message>
        <location filename="../../desktop_app/formatting.py" line="56"/>
        <source>Paused</source>
        <translation>En pausa</translation>
    </message>
    <message>
        <location filename="../../desktop_app/formatting.py" line="57"/>
        <source>Completed</source>
        <translation>Completado</translation>
    </message>
    <message>
        <location filename="../../desktop_app/formatting.py" line="58"/>
        <source>Completed with warnings</source>
        <translation>Completado con avisos</translation>
    </message>
    <message>
        <location filename="../../desktop_app/formatting.py" line="59"/>
        <source>Failed</source>
        <translation>Fallido</translation>
    </message>
    <message>
        <location filename="../../desktop_app/formatting.py" line="60"/>
        <source>Cancelled</source>
        <translation>Cancelado</translation>
    </message>
    <message>
        <location filename="../../desktop_app/formatting.py" line="61"/>
        <source>Interrupted</source>
        <translation>Interrumpido</translation>
    </message>
</context>
<context>
    <name>JobTableModel</name>
    <message>
        <location filename="../../desktop_app/job_model.py" line="51"/>
        <source>File</source>
        <translation>Archivo</translation>
    </message>
    <message>
        <location filename="../../desktop_app/job_model.py" line="52"/>
        <source>Size</source>
        <translation>Tamaño</translation>
    </message>
    <message>
        <location filename="../../desktop_app/job_model.py" line="53"/>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <location filename="../../desktop_app/job_model.py" line="54"/>
        <source>Progress</source>
        <translation>Progreso</translation>
    </message>
    <message>
        <location filename="../../desktop_app/job_model.py" line="55"/>
        <source>Speed</source>
        <translation>Velocidad</translation>
    </message>
    <message>
        <location filename="../../desktop_app/job_model.py" line="56"/>
        <source>Time</source>
        <translation>Tiempo</translation>
    </message>
    <message>
        <location filename="../../desktop_app/job_model.py" line="57"/>
        <source>Actions</source>
        <translation>Acciones</translation>
    </message>
    <message>
        <location filename="../../desktop_app/job_model.py" line="69"/>
        <source>{0} left</source>
        <translation>quedan {0}</translation>
    </message>
    <message>
        <location filename="../../desktop_app/job_model.py" line="299"/>
        <source>Attempt {0}</source>
        <translation>Intento {0}</translation>
    </message>
</context>
<context>
    <name>LogTab</name>
    <message>
        <location filename="../../desktop_app/details/log.py" line="50"/>
        <source>Copy</source>
        <translation>Copiar</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop_app/main_window.py" line="70"/>
        <source>Tables</source>
        <translation>Tablas</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="71"/>
        <source>Text documents</source>
        <translation>Documentos de texto</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="72"/>
        <source>Images</source>
        <translation>Imágenes</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="74"/>
        <source>Supported files</source>
        <translation>Archivos compatibles</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="76"/>
        <source>All files</source>
        <translation>Todos los archivos</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="163"/>
        <source>Add files…</source>
        <translation>Añadir archivos…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="165"/>
        <source>Add folder…</source>
        <translation>Añadir carpeta…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="167"/>
        <location filename="../../desktop_app/main_window.py" line="577"/>
        <source>Pause queue</source>
        <translation>Pausar cola</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="169"/>
        <source>Retry failed</source>
        <translation>Reintentar fallidos</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="170"/>
        <source>Clear finished</source>
        <translation>Quitar terminados</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="171"/>
        <source>Open output folder</source>
        <translation>Abrir carpeta de salida</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="172"/>
        <source>Settings…</source>
        <translation>Ajustes…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="174"/>
        <location filename="../../desktop_app/main_window.py" line="633"/>
        <source>About Parqueue</source>
        <translation>Acerca de Parqueue</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="175"/>
        <source>Catalog of selected jobs…</source>
        <translation>Catálogo de los trabajos seleccionados…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="177"/>
        <source>Quit</source>
        <translation>Salir</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="184"/>
        <source>Main</source>
        <translation>Principal</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="206"/>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="215"/>
        <source>&amp;Queue</source>
        <translation>&amp;Cola</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="219"/>
        <source>&amp;Job</source>
        <translation>&amp;Trabajo</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="221"/>
        <source>&amp;Help</source>
        <translation>A&amp;yuda</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="323"/>
        <source>Add files</source>
        <translation>Añadir archivos</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="328"/>
        <source>Add folder</source>
        <translation>Añadir carpeta</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="366"/>
        <source>Adding files…</source>
        <translation>Añadiendo archivos…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="371"/>
        <source>Adding files… {0} queued</source>
        <translation>Añadiendo archivos… {0} en cola</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="375"/>
        <source>1 file queued</source>
        <translation>1 archivo en cola</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="376"/>
        <source>{0} files queued</source>
        <translation>{0} archivos en cola</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="378"/>
        <source>{0} already in the queue, not added twice</source>
        <translation>{0} ya estaban en la cola; no se añaden dos veces</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="384"/>
        <source>1 file was skipped: Parqueue does not read its type.</source>
        <translation>Se omitió 1 archivo: Parqueue no lee ese tipo.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="385"/>
        <source>{0} files were skipped: Parqueue does not read their type.</source>
        <translation>Se omitieron {0} archivos: Parqueue no lee ese tipo.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="389"/>
        <source>… and {0} more</source>
        <translation>… y {0} más</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="391"/>
        <source>1 file was not found.</source>
        <translation>No se encontró 1 archivo.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="392"/>
        <source>{0} files were not found.</source>
        <translation>No se encontraron {0} archivos.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="395"/>
        <source>1 file is already queued.</source>
        <translation>1 archivo ya está en cola.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="396"/>
        <source>{0} files are already queued.</source>
        <translation>{0} archivos ya están en cola.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="398"/>
        <source>Files not added</source>
        <translation>Archivos no añadidos</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="409"/>
        <source>Another Parqueue process is running the workers; this window follows its progress.</source>
        <translation>Otro proceso de Parqueue ejecuta los trabajadores; esta ventana sigue su progreso.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="485"/>
        <source>Export {0} Parquet files to</source>
        <translation>Exportar {0} archivos Parquet a</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="504"/>
        <source>Export Parquet</source>
        <translation>Exportar Parquet</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="504"/>
        <location filename="../../desktop_app/main_window.py" line="536"/>
        <source>Parquet files (*.parquet)</source>
        <translation>Archivos Parquet (*.parquet)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="521"/>
        <source>Export failed: {0}</source>
        <translation>La exportación falló: {0}</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="524"/>
        <source>Exported {0} file(s) to {1}</source>
        <translation>{0} archivo(s) exportado(s) a {1}</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="532"/>
        <source>No finished job to catalog yet.</source>
        <translation>Todavía no hay ningún trabajo terminado para catalogar.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="535"/>
        <source>Save catalog</source>
        <translation>Guardar catálogo</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="577"/>
        <source>Resume queue</source>
        <translation>Reanudar cola</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="580"/>
        <source>Queue paused: no new job starts.</source>
        <translation>Cola en pausa: no empieza ningún trabajo nuevo.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="593"/>
        <source>Queued again with the new options.</source>
        <translation>De nuevo en cola con las opciones nuevas.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="614"/>
        <source>Parqueue: batch finished</source>
        <translation>Parqueue: lote terminado</translation>
    </message>
    <message>
        <location filename="../../desktop_app/main_window.py" line="634"/>
        <source>&lt;h3&gt;Parqueue {0}&lt;/h3&gt;&lt;p&gt;Drop files, get clean typed Parquet.&lt;/p&gt;&lt;p&gt;CSV, Excel, text and images become Parquet with a profile, through a crash-safe job queue.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Parqueue {0}&lt;/h3&gt;&lt;p&gt;Suelta archivos y obtén Parquet limpio y tipado.&lt;/p&gt;&lt;p&gt;CSV, Excel, textos e imágenes se convierten en Parquet con un perfil, mediante una cola de trabajos a prueba de fallos.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>NoticeBar</name>
    <message>
        <location filename="../../desktop_app/notice_bar.py" line="56"/>
        <source>Details…</source>
        <translation>Detalles…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/notice_bar.py" line="60"/>
        <source>Dismiss</source>
        <translation>Descartar</translation>
    </message>
</context>
<context>
    <name>OptionsCard</name>
    <message>
        <location filename="../../desktop_app/details/options_card.py" line="82"/>
        <source>Detected</source>
        <translation>Detectado</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/options_card.py" line="90"/>
        <source>Names in first row</source>
        <translation>Nombres en la primera fila</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/options_card.py" line="91"/>
        <source>No header row</source>
        <translation>Sin fila de encabezado</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/options_card.py" line="93"/>
        <source>. (point)</source>
        <translation>. (punto)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/options_card.py" line="94"/>
        <source>, (comma)</source>
        <translation>, (coma)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/options_card.py" line="97"/>
        <source>as the values tell</source>
        <translation>según los valores</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/options_card.py" line="98"/>
        <source>day first (31/12)</source>
        <translation>día primero (31/12)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/options_card.py" line="99"/>
        <source>month first (12/31)</source>
        <translation>mes primero (12/31)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/options_card.py" line="100"/>
        <source>Which comes first in dates such as 01/02/2024, which read both ways. A date with a day above 12 tells by itself; without one, such dates stay text unless chosen here.</source>
        <translation>Qué va primero en fechas como 01/02/2024, que se leen de las dos maneras. Una fecha con un día mayor que 12 lo dice por sí sola; sin ella, esas fechas quedan como texto salvo que se elija aquí.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/options_card.py" line="106"/>
        <source>Lines above the header that are no part of the table, such as a title or an account number.</source>
        <translation>Líneas encima del encabezado que no forman parte de la tabla, como un título o un número de cuenta.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/options_card.py" line="111"/>
        <source>set aside</source>
        <translation>apartadas</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/options_card.py" line="112"/>
        <source>read as rows</source>
        <translation>leídas como filas</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/options_card.py" line="113"/>
        <source>Lines such as &apos;Total;;1.234,56&apos; at the end of the table: set aside in the rejects file, or read as rows of data.</source>
        <translation>Líneas como &apos;Total;;1.234,56&apos; al final de la tabla: apartadas en el archivo de rechazos, o leídas como filas de datos.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/options_card.py" line="117"/>
        <source>all sheets</source>
        <translation>todas las hojas</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/options_card.py" line="118"/>
        <source>Re-run</source>
        <translation>Volver a ejecutar</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/options_card.py" line="135"/>
        <source>Encoding:</source>
        <translation>Codificación:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/options_card.py" line="136"/>
        <source>Delimiter:</source>
        <translation>Delimitador:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/options_card.py" line="137"/>
        <source>Header:</source>
        <translation>Encabezado:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/options_card.py" line="138"/>
        <source>Decimal mark:</source>
        <translation>Separador decimal:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/options_card.py" line="139"/>
        <source>Dates:</source>
        <translation>Fechas:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/options_card.py" line="140"/>
        <source>Skip lines:</source>
        <translation>Omitir líneas:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/options_card.py" line="141"/>
        <source>Totals:</source>
        <translation>Totales:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/options_card.py" line="142"/>
        <source>Sheets:</source>
        <translation>Hojas:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/options_card.py" line="176"/>
        <source>Available when the job has finished.</source>
        <translation>Disponible cuando el trabajo haya terminado.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/options_card.py" line="197"/>
        <source>Detected — change and Re-run</source>
        <translation>Detectado: cámbialo y vuelve a ejecutar</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/options_card.py" line="198"/>
        <source>Detected — shows when the job finishes</source>
        <translation>Detectado: se muestra cuando termine el trabajo</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/options_card.py" line="215"/>
        <source>as detected</source>
        <translation>según lo detectado</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/options_card.py" line="217"/>
        <source>what was detected shows when the job finishes</source>
        <translation>lo detectado aparece cuando termina el trabajo</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/options_card.py" line="219"/>
        <source>defaults: nothing detected yet</source>
        <translation>valores por omisión: aún no se ha detectado nada</translation>
    </message>
</context>
<context>
    <name>OutputTab</name>
    <message>
        <location filename="../../desktop_app/details/output.py" line="48"/>
        <source>Export this file…</source>
        <translation>Exportar este archivo…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/output.py" line="82"/>
        <source>No output yet.</source>
        <translation>Aún no hay salida.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/output.py" line="84"/>
        <source>Reading outputs…</source>
        <translation>Leyendo salidas…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/output.py" line="92"/>
        <source>The outputs could not be read: {0}</source>
        <translation>No se pudieron leer las salidas: {0}</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/output.py" line="113"/>
        <source>{0} rows</source>
        <translation>{0} filas</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/output.py" line="115"/>
        <source>{0} columns</source>
        <translation>{0} columnas</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/output.py" line="120"/>
        <source>, … and {0} more</source>
        <translation>, … y {0} más</translation>
    </message>
</context>
<context>
    <name>PreviewTab</name>
    <message>
        <location filename="../../desktop_app/details/preview.py" line="80"/>
        <source>Select a job to see its file.</source>
        <translation>Selecciona un trabajo para ver su archivo.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/preview.py" line="82"/>
        <source>Loading preview…</source>
        <translation>Cargando vista previa…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/preview.py" line="93"/>
        <source>No preview: {0}</source>
        <translation>Sin vista previa: {0}</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/preview.py" line="99"/>
        <source>Encoding: {0}</source>
        <translation>Codificación: {0}</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/preview.py" line="101"/>
        <source>showing the start only</source>
        <translation>solo se muestra el principio</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/preview.py" line="114"/>
        <source>{0} × {1} preview</source>
        <translation>vista previa de {0} × {1}</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/preview.py" line="116"/>
        <source>No preview for this file.</source>
        <translation>No hay vista previa para este archivo.</translation>
    </message>
</context>
<context>
    <name>ProfileModel</name>
    <message>
        <location filename="../../desktop_app/details/profile.py" line="40"/>
        <source>Column</source>
        <translation>Columna</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/profile.py" line="40"/>
        <source>Type</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/profile.py" line="40"/>
        <source>Nulls</source>
        <translation>Nulos</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/profile.py" line="40"/>
        <source>Distinct</source>
        <translation>Distintos</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/profile.py" line="40"/>
        <source>Min</source>
        <translation>Mín.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/profile.py" line="41"/>
        <source>Max</source>
        <translation>Máx.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/profile.py" line="41"/>
        <source>Mean</source>
        <translation>Media</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/profile.py" line="41"/>
        <source>Distribution</source>
        <translation>Distribución</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/profile.py" line="41"/>
        <source>Top values</source>
        <translation>Valores más frecuentes</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/profile.py" line="75"/>
        <source>{0}: percentages, stored as fractions (12 % is 0.12)</source>
        <translation>{0}: porcentajes, guardados como fracciones (12 % es 0,12)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/profile.py" line="76"/>
        <source>Percentage</source>
        <translation>Porcentaje</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/profile.py" line="79"/>
        <source>{0}: durations in hours, stored as numbers (38:30 is 38.5)</source>
        <translation>{0}: duraciones en horas, guardadas como números (38:30 es 38,5)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/profile.py" line="80"/>
        <source>Duration (hours)</source>
        <translation>Duración (horas)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/profile.py" line="83"/>
        <source>{0}: amounts written with {1}, stored as numbers</source>
        <translation>{0}: importes escritos con {1}, guardados como números</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/profile.py" line="84"/>
        <source>Amount ({0})</source>
        <translation>Importe ({0})</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/profile.py" line="106"/>
        <source>No value repeats</source>
        <translation>Ningún valor se repite</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/profile.py" line="111"/>
        <source>Histogram: {0} bins</source>
        <translation>Histograma: {0} intervalos</translation>
    </message>
</context>
<context>
    <name>ProfileTab</name>
    <message>
        <location filename="../../desktop_app/details/profile.py" line="191"/>
        <source>The profile appears when the job has finished.</source>
        <translation>El perfil aparece cuando el trabajo ha terminado.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/profile.py" line="193"/>
        <source>Reading the profile…</source>
        <translation>Leyendo el perfil…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/profile.py" line="200"/>
        <source>The profile could not be read: {0}</source>
        <translation>No se pudo leer el perfil: {0}</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/profile.py" line="204"/>
        <source>{0} columns</source>
        <translation>{0} columnas</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/profile.py" line="205"/>
        <source>Most frequent words</source>
        <translation>Palabras más frecuentes</translation>
    </message>
    <message>
        <location filename="../../desktop_app/details/profile.py" line="209"/>
        <source>No profile for this job.</source>
        <translation>No hay perfil para este trabajo.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../desktop_app/settings_dialog.py" line="31"/>
        <source>Parqueue Settings</source>
        <translation>Ajustes de Parqueue</translation>
    </message>
    <message>
        <location filename="../../desktop_app/settings_dialog.py" line="33"/>
        <source>Choose…</source>
        <translation>Elegir…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/settings_dialog.py" line="41"/>
        <source>Make thumbnails of pictures</source>
        <translation>Crear miniaturas de las imágenes</translation>
    </message>
    <message>
        <location filename="../../desktop_app/settings_dialog.py" line="48"/>
        <source>Keep both: give the new file another name</source>
        <translation>Conservar ambos: dar otro nombre al archivo nuevo</translation>
    </message>
    <message>
        <location filename="../../desktop_app/settings_dialog.py" line="49"/>
        <source>Replace the existing file</source>
        <translation>Reemplazar el archivo existente</translation>
    </message>
    <message>
        <location filename="../../desktop_app/settings_dialog.py" line="51"/>
        <source>Notify me when a batch is done</source>
        <translation>Avisarme cuando termine un lote</translation>
    </message>
    <message>
        <location filename="../../desktop_app/settings_dialog.py" line="54"/>
        <source>Output folder:</source>
        <translation>Carpeta de salida:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/settings_dialog.py" line="55"/>
        <source>Workers:</source>
        <translation>Trabajadores:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/settings_dialog.py" line="56"/>
        <source>Parquet compression:</source>
        <translation>Compresión de Parquet:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/settings_dialog.py" line="57"/>
        <source>Existing files:</source>
        <translation>Archivos existentes:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/settings_dialog.py" line="68"/>
        <source>Output folder</source>
        <translation>Carpeta de salida</translation>
    </message>
</context>
<context>
    <name>StatusSummary</name>
    <message>
        <location filename="../../desktop_app/status_bar.py" line="80"/>
        <source>Workers {0}/{1}</source>
        <translation>Trabajadores {0}/{1}</translation>
    </message>
    <message>
        <location filename="../../desktop_app/status_bar.py" line="84"/>
        <source>{0} left</source>
        <translation>quedan {0}</translation>
    </message>
</context>
</TS>
