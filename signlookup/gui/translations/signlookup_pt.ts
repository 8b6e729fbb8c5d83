<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pt" sourcelanguage="en">
<context>
    <name>FacetChips</name>
    <message>
        <source>head</source>
        <translation>cabeça</translation>
    </message>
    <message>
        <source>face</source>
        <translation>rosto</translation>
    </message>
    <message>
        <source>chest</source>
        <translation>peito</translation>
    </message>
    <message>
        <source>neutral space</source>
        <translation>espaço neutro</translation>
    </message>
    <message>
        <source>other hand</source>
        <translation>outra mão</translation>
    </message>
    <message>
        <source>any</source>
        <translation>qualquer</translation>
    </message>
    <message>
        <source>Handshape:</source>
        <translation>Configuração de mão:</translation>
    </message>
    <message>
        <source>Place:</source>
        <translation>Locação:</translation>
    </message>
    <message>
        <source>Handshape %1 (%2 signs)</source>
        <translation>Configuração de mão %1 (%2 sinais)</translation>
    </message>
</context>
<context>
    <name>FacetPanel</name>
    <message>
        <source>No close match in this gallery; the closest are: %1.</source>
        <translation>Nenhum sinal próximo nesta galeria; os mais parecidos são: %1.</translation>
    </message>
</context>
<context>
    <name>FavouriteButton</name>
    <message>
        <source>Favourite</source>
        <translation>Favorito</translation>
    </message>
    <message>
        <source>Remove from favourites</source>
        <translation>Remover dos favoritos</translation>
    </message>
    <message>
        <source>Add to favourites</source>
        <translation>Adicionar aos favoritos</translation>
    </message>
</context>
<context>
    <name>FavouritesCombo</name>
    <message>
        <source>Favourites</source>
        <translation>Favoritos</translation>
    </message>
    <message>
        <source>Your favourite signs: choose one to play it</source>
        <translation>Seus sinais favoritos: escolha um para reproduzi-lo</translation>
    </message>
    <message>
        <source>★ Favourites</source>
        <translation>★ Favoritos</translation>
    </message>
</context>
<context>
    <name>GalleryTableModel</name>
    <message>
        <source>Gloss</source>
        <translation>Glosa</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Língua</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Fonte</translation>
    </message>
    <message>
        <source>Frames</source>
        <translation>Quadros</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>Adicionado</translation>
    </message>
</context>
<context>
    <name>GalleryView</name>
    <message>
        <source>Loading the gallery in %1…</source>
        <translation>Carregando a galeria em %1…</translation>
    </message>
    <message>
        <source>Filter by gloss…</source>
        <extracomment>(text, button text, action): a message with one button for the window&apos;s banner (Undo)</extracomment>
        <translation>Filtrar por glosa…</translation>
    </message>
    <message>
        <source>Filter by gloss</source>
        <translation>Filtrar por glosa</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Língua</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Fonte</translation>
    </message>
    <message>
        <source>Gallery entries</source>
        <translation>Sinais da galeria</translation>
    </message>
    <message>
        <source>&amp;Add current recording…</source>
        <translation>&amp;Adicionar a gravação atual…</translation>
    </message>
    <message>
        <source>Add &amp;video file…</source>
        <translation>Adicionar &amp;vídeo…</translation>
    </message>
    <message>
        <source>Re&amp;name…</source>
        <translation>Re&amp;nomear…</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Excluir</translation>
    </message>
    <message>
        <source>&amp;Import folder…</source>
        <translation>&amp;Importar pasta…</translation>
    </message>
    <message>
        <source>Cancel import</source>
        <translation>Cancelar importação</translation>
    </message>
    <message>
        <source>Choose an entry to play it.</source>
        <translation>Escolha um sinal para reproduzi-lo.</translation>
    </message>
    <message>
        <source>No entry chosen</source>
        <translation>Nenhum sinal escolhido</translation>
    </message>
    <message>
        <source>All languages</source>
        <translation>Todas as línguas</translation>
    </message>
    <message>
        <source>All sources</source>
        <translation>Todas as fontes</translation>
    </message>
    <message>
        <source> (read-only)</source>
        <translation> (somente leitura)</translation>
    </message>
    <message numerus="yes">
        <source>%n sign(s) in</source>
        <translation>
            <numerusform>%n sinal em</numerusform>
            <numerusform>%n sinais em</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 · %2 · %3 frames at %4 fps</source>
        <translation>%1 · %2 · %3 quadros a %4 fps</translation>
    </message>
    <message>
        <source>No gallery is open. Choose a gallery folder in File › Settings.</source>
        <translation>Nenhuma galeria aberta. Escolha uma pasta de galeria em Arquivo › Configurações.</translation>
    </message>
    <message>
        <source>Added %1.</source>
        <translation>%1 adicionado.</translation>
    </message>
    <message>
        <source>Add a video file to the gallery</source>
        <translation>Adicionar um vídeo à galeria</translation>
    </message>
    <message>
        <source>Videos (%1)</source>
        <translation>Vídeos (%1)</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>Lendo %1…</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>Renomear</translation>
    </message>
    <message>
        <source>New gloss:</source>
        <translation>Nova glosa:</translation>
    </message>
    <message>
        <source>Renamed to %1.</source>
        <translation>Renomeado para %1.</translation>
    </message>
    <message>
        <source>Deleted %1.</source>
        <translation>%1 excluído.</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Desfazer</translation>
    </message>
    <message>
        <source>Restored %1.</source>
        <translation>%1 restaurado.</translation>
    </message>
    <message>
        <source>Import a folder of sign videos</source>
        <translation>Importar uma pasta de vídeos de sinais</translation>
    </message>
    <message>
        <source>Importing %1…</source>
        <translation>Importando %1…</translation>
    </message>
    <message>
        <source>Imported %1, skipped %2 already present, %3 failed.</source>
        <translation>%1 importados, %2 já presentes ignorados, %3 com falha.</translation>
    </message>
    <message>
        <source>Some files could not be imported, e.g. %1: %2</source>
        <translation>Alguns arquivos não puderam ser importados, por exemplo %1: %2</translation>
    </message>
    <message>
        <source>Stopping the import after the current file…</source>
        <translation>Parando a importação depois do arquivo atual…</translation>
    </message>
</context>
<context>
    <name>GlossView</name>
    <message>
        <source>Type a sentence in Portuguese, e.g. Minha amiga detesta passear no shopping.</source>
        <extracomment>Examples shown per look-up. Draft signs per row of chips (a long sentence wraps instead of widening the view). What to look for in the gallery (the dictionary headword, without punctuation). the example&apos;s Portuguese sentence in the dictionary (&quot;&quot; when unknown) the draft gloss of the user&apos;s sentence, sign by sign</extracomment>
        <translation>Digite uma frase em português, por exemplo: Minha amiga detesta passear no shopping.</translation>
    </message>
    <message>
        <source>Portuguese sentence</source>
        <translation>Frase em português</translation>
    </message>
    <message>
        <source>&amp;Look up</source>
        <translation>&amp;Consultar</translation>
    </message>
    <message>
        <source>Draft gloss of your sentence</source>
        <translation>Rascunho de glosa da sua frase</translation>
    </message>
    <message>
        <source>Your sentence appears here in Libras glosses, sign by sign (a draft).</source>
        <translation>Sua frase aparece aqui em glosas de Libras, sinal por sinal (um rascunho).</translation>
    </message>
    <message>
        <source>Nearest dictionary examples</source>
        <translation>Exemplos mais próximos do dicionário</translation>
    </message>
    <message>
        <source>Choose a gloss</source>
        <translation>Escolha uma glosa</translation>
    </message>
    <message>
        <source>&amp;Play the sign</source>
        <translation>&amp;Reproduzir o sinal</translation>
    </message>
    <message>
        <source>The sign plays here when the gallery has it.</source>
        <translation>O sinal é reproduzido aqui quando está na galeria.</translation>
    </message>
    <message>
        <source>Drafting…</source>
        <translation>Fazendo o rascunho…</translation>
    </message>
    <message>
        <source>Loading the draft tables…</source>
        <translation>Carregando as tabelas do rascunho…</translation>
    </message>
    <message>
        <source>A draft, sign by sign (word order and grammar are not checked). Click a sign for its dictionary entry.</source>
        <translation>Um rascunho, sinal por sinal (a ordem e a gramática não são verificadas). Clique em um sinal para ver o verbete do dicionário.</translation>
    </message>
    <message>
        <source>No sign could be drafted for this sentence.</source>
        <translation>Não foi possível fazer o rascunho de nenhum sinal para esta frase.</translation>
    </message>
    <message>
        <source>Looking up…</source>
        <translation>Consultando…</translation>
    </message>
    <message>
        <source>Loading the text model…</source>
        <translation>Carregando o modelo de texto…</translation>
    </message>
    <message>
        <source>The dictionary&apos;s example sentences closest to yours appear here, best first, each written in Libras glosses.</source>
        <translation>Aqui aparecem as frases de exemplo do dicionário mais próximas da sua, da melhor para a pior, cada uma escrita em glosas de Libras.</translation>
    </message>
    <message>
        <source>&lt;small&gt;How glosses are written: &lt;b&gt;@&lt;/b&gt; either gender (AMIG@: amigo or amiga); &lt;b&gt;P-R-A-Ç-A&lt;/b&gt; spelled letter by letter; &lt;b&gt;3sENSINAR1s&lt;/b&gt; a verb whose numbers say who does it to whom (he/she teaches me); &lt;b&gt;^&lt;/b&gt; joins the parts of one sign; lower case describes a handshape (classifier).&lt;/small&gt;</source>
        <translation>&lt;small&gt;Como as glosas são escritas: &lt;b&gt;@&lt;/b&gt; qualquer gênero (AMIG@: amigo ou amiga); &lt;b&gt;P-R-A-Ç-A&lt;/b&gt; soletrado letra por letra; &lt;b&gt;3sENSINAR1s&lt;/b&gt; um verbo cujos números dizem quem faz a quem (ele/ela me ensina); &lt;b&gt;^&lt;/b&gt; une as partes de um sinal; minúsculas descrevem uma configuração de mão (classificador).&lt;/small&gt;</translation>
    </message>
    <message>
        <source>Type a sentence in Portuguese and press Enter to look it up.</source>
        <translation>Digite uma frase em português e pressione Enter para consultá-la.</translation>
    </message>
    <message numerus="yes">
        <source>The %n dictionary example(s) closest to your sentence, best first. Click a gloss for its entry.</source>
        <translation>
            <numerusform>O exemplo do dicionário mais próximo da sua frase. Clique numa glosa para ver o verbete.</numerusform>
            <numerusform>Os %n exemplos do dicionário mais próximos da sua frase, do melhor para o pior. Clique numa glosa para ver o verbete.</numerusform>
        </translation>
    </message>
    <message>
        <source>No dictionary example was found for this sentence.</source>
        <translation>Nenhum exemplo do dicionário foi encontrado para esta frase.</translation>
    </message>
    <message>
        <source>Rank and similarity to your sentence (1 is identical)</source>
        <translation>Posição e semelhança com a sua frase (1 é idêntica)</translation>
    </message>
    <message>
        <source>The gallery has this sign: click to see and play it</source>
        <translation>A galeria tem este sinal: clique para vê-lo e reproduzi-lo</translation>
    </message>
    <message>
        <source>Gloss %1</source>
        <translation>Glosa %1</translation>
    </message>
    <message>
        <source>The dictionary&apos;s Portuguese sentence for this example</source>
        <translation>A frase em português do dicionário para este exemplo</translation>
    </message>
    <message>
        <source>No dictionary definition for this gloss.</source>
        <translation>Sem definição no dicionário para esta glosa.</translation>
    </message>
    <message>
        <source>Example: %1</source>
        <translation>Exemplo: %1</translation>
    </message>
    <message>
        <source>In the gallery: yes</source>
        <translation>Na galeria: sim</translation>
    </message>
    <message>
        <source>In the gallery: no</source>
        <translation>Na galeria: não</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>&amp;Sign search</source>
        <extracomment>Every message shown since start (newest last); the banner shows the newest. everything that touches the gallery, in order (newest search wins) short independent jobs (analysis, match preparation, text model)</extracomment>
        <translation>&amp;Busca por sinal</translation>
    </message>
    <message>
        <source>&amp;Gallery</source>
        <translation>&amp;Galeria</translation>
    </message>
    <message>
        <source>G&amp;loss look-up</source>
        <translation>Consulta de g&amp;losas</translation>
    </message>
    <message>
        <source>No source</source>
        <translation>Sem fonte</translation>
    </message>
    <message>
        <source>Loading pose model…</source>
        <translation>Carregando o modelo de pose…</translation>
    </message>
    <message>
        <source>Loading gallery…</source>
        <translation>Carregando a galeria…</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Arquivo</translation>
    </message>
    <message>
        <source>&amp;Open video…</source>
        <translation>&amp;Abrir vídeo…</translation>
    </message>
    <message>
        <source>&amp;Add a video file to the gallery…</source>
        <translation>&amp;Adicionar um vídeo à galeria…</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Configurações…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Sair</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Exibir</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>A&amp;juda</translation>
    </message>
    <message>
        <source>&amp;How to use signlookup</source>
        <translation>&amp;Como usar o signlookup</translation>
    </message>
    <message>
        <source>&amp;About signlookup</source>
        <translation>&amp;Sobre o signlookup</translation>
    </message>
    <message>
        <source>How to use signlookup</source>
        <translation>Como usar o signlookup</translation>
    </message>
    <message>
        <source>&lt;b&gt;Sign search&lt;/b&gt;: start the camera (or open a video file), press Record (R), sign once, press R again. The most similar dictionary signs appear below; click one to play it next to yours. Drag the shaded span in the hand-motion plot to trim your recording.&lt;br&gt;&lt;br&gt;&lt;b&gt;Gallery&lt;/b&gt;: the signs you search in. Add your recording or a video file, rename or delete entries (a deletion can be undone).&lt;br&gt;&lt;br&gt;&lt;b&gt;Gloss look-up&lt;/b&gt;: type a Portuguese sentence to see how the dictionary&apos;s closest example sentences are written in Libras glosses.</source>
        <translation>&lt;b&gt;Busca por sinal&lt;/b&gt;: ligue a câmera (ou abra um vídeo), pressione Gravar (R), faça o sinal uma vez e pressione R de novo. Os sinais do dicionário mais parecidos aparecem abaixo; clique num deles para vê-lo ao lado do seu. Arraste a faixa sombreada do gráfico de movimento das mãos para recortar a gravação.&lt;br&gt;&lt;br&gt;&lt;b&gt;Galeria&lt;/b&gt;: os sinais em que você busca. Adicione sua gravação ou um vídeo, renomeie ou exclua entradas (uma exclusão pode ser desfeita).&lt;br&gt;&lt;br&gt;&lt;b&gt;Consulta de glosas&lt;/b&gt;: digite uma frase em português para ver como as frases de exemplo mais próximas do dicionário são escritas em glosas de Libras.</translation>
    </message>
    <message>
        <source>About signlookup</source>
        <translation>Sobre o signlookup</translation>
    </message>
    <message>
        <source>&lt;b&gt;signlookup %1&lt;/b&gt;: a reverse dictionary for sign languages.&lt;br&gt;Sign into the camera or open a video to find the most similar signs.&lt;br&gt;&lt;br&gt;signlookup is MIT licensed. It uses Qt for Python %2 (LGPL-3.0), MediaPipe (Apache-2.0), faiss (MIT), PyTorch (BSD-3-Clause) and OpenCV (Apache-2.0).&lt;br&gt;The demo gallery&apos;s Libras clips come from the INES, UFV, V-Librasil and SignBank dictionaries, whose rights remain theirs; the text look-up uses the INES dictionary (see ATTRIBUTION.md in the installed resources).</source>
        <translation>&lt;b&gt;signlookup %1&lt;/b&gt;: um dicionário reverso para línguas de sinais.&lt;br&gt;Sinalize para a câmera ou abra um vídeo para encontrar os sinais mais parecidos.&lt;br&gt;&lt;br&gt;O signlookup tem licença MIT. Ele usa Qt for Python %2 (LGPL-3.0), MediaPipe (Apache-2.0), faiss (MIT), PyTorch (BSD-3-Clause) e OpenCV (Apache-2.0).&lt;br&gt;Os vídeos de Libras da galeria de demonstração vêm dos dicionários INES, UFV, V-Librasil e SignBank, que detêm seus direitos; a consulta de glosas usa o dicionário do INES (veja ATTRIBUTION.md nos recursos instalados).</translation>
    </message>
    <message>
        <source>%1 fps</source>
        <translation>%1 fps</translation>
    </message>
    <message>
        <source>No pose model</source>
        <translation>Sem modelo de pose</translation>
    </message>
    <message>
        <source>Pose model: %1</source>
        <translation>Modelo de pose: %1</translation>
    </message>
    <message numerus="yes">
        <source>Gallery: %n sign(s)</source>
        <translation>
            <numerusform>Galeria: %n sinal</numerusform>
            <numerusform>Galeria: %n sinais</numerusform>
        </translation>
    </message>
    <message>
        <source>No gallery</source>
        <translation>Sem galeria</translation>
    </message>
</context>
<context>
    <name>MessageBanner</name>
    <message>
        <source>Dismiss message</source>
        <extracomment>The window fits a 1366x768 laptop screen with its panel (about 1366x720 usable). Longest the window waits for each group of workers when it closes. Start loading models and the gallery after this long even if the window never paints.</extracomment>
        <translation>Fechar mensagem</translation>
    </message>
</context>
<context>
    <name>NewSignDialog</name>
    <message>
        <source>Add the recording to the gallery</source>
        <translation>Adicionar a gravação à galeria</translation>
    </message>
    <message>
        <source>e.g. CASA</source>
        <translation>ex.: CASA</translation>
    </message>
    <message>
        <source>&amp;Gloss (the sign&apos;s name):</source>
        <translation>&amp;Glosa (o nome do sinal):</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Língua:</translation>
    </message>
</context>
<context>
    <name>PlaybackBar</name>
    <message>
        <source>Pause</source>
        <extracomment>for a PlaybackBar&apos;s scrub slider: the frame shown, the clip&apos;s length in frames the frame shown, and the clip&apos;s length in frames (0: unknown), for the scrub slider</extracomment>
        <translation>Pausar</translation>
    </message>
    <message>
        <source>Pause or play the clip</source>
        <translation>Pausar ou reproduzir o vídeo</translation>
    </message>
    <message>
        <source>Next frame</source>
        <translation>Próximo quadro</translation>
    </message>
    <message>
        <source>Pause and show the next frame</source>
        <translation>Pausar e mostrar o próximo quadro</translation>
    </message>
    <message>
        <source>Playback speed</source>
        <translation>Velocidade de reprodução</translation>
    </message>
    <message>
        <source>Slow motion</source>
        <translation>Câmera lenta</translation>
    </message>
    <message>
        <source>Mirror</source>
        <translation>Espelhar</translation>
    </message>
    <message>
        <source>Show the clip mirrored, to sign along with it</source>
        <translation>Mostrar o vídeo espelhado, para sinalizar junto</translation>
    </message>
    <message>
        <source>Position in the clip</source>
        <translation>Posição no vídeo</translation>
    </message>
    <message>
        <source>Drag to go to a moment of the clip</source>
        <translation>Arraste para ir a um momento do vídeo</translation>
    </message>
    <message>
        <source>▶ Play</source>
        <translation>▶ Reproduzir</translation>
    </message>
</context>
<context>
    <name>SearchController</name>
    <message>
        <source>Reading %1…</source>
        <extracomment>A recording stops by itself after this many seconds. After a finite source ends, wait this long for the pose of its last frame. Look-ups kept in the history (only the newest keeps its replay images: memory). frames of an opened file analysed so far, and its length (0: unknown) the previous query and its results no longer apply (new recording, new file, failure) a query&apos;s replay images arrived after it (a file found in the pose cache) an opened file&apos;s extraction started (True) or ended, failed or was cancelled (False) the camera&apos;s signer: its look-ups adapt to their recent ones (signlookup.index.session)</extracomment>
        <translation>Lendo %1…</translation>
    </message>
    <message>
        <source>Reading the video was cancelled.</source>
        <translation>A leitura do vídeo foi cancelada.</translation>
    </message>
    <message>
        <source>Analysing the recording…</source>
        <translation>Analisando a gravação…</translation>
    </message>
    <message>
        <source>Waiting for the gallery to load…</source>
        <translation>Aguardando a galeria carregar…</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Buscando…</translation>
    </message>
    <message numerus="yes">
        <source>%n result(s)</source>
        <translation>
            <numerusform>%n resultado</numerusform>
            <numerusform>%n resultados</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SearchView</name>
    <message>
        <source>Camera</source>
        <extracomment>The user asked to add the current recording to the gallery.</extracomment>
        <translation>Câmera</translation>
    </message>
    <message>
        <source>Start &amp;camera</source>
        <translation>Ligar a &amp;câmera</translation>
    </message>
    <message>
        <source>&amp;Open video…</source>
        <translation>&amp;Abrir vídeo…</translation>
    </message>
    <message>
        <source>Open a video file (Ctrl+O), or drop one on this window</source>
        <translation>Abra um arquivo de vídeo (Ctrl+O) ou arraste um para esta janela</translation>
    </message>
    <message>
        <source>Forget how I sign</source>
        <translation>Esquecer como eu sinalizo</translation>
    </message>
    <message>
        <source>Camera look-ups are centred on your own signing (your build, camera and framing), learnt from your recent look-ups. Click to start over, e.g. when someone else signs.</source>
        <translation>As buscas pela câmera são centradas na sua própria sinalização (seu corpo, sua câmera e seu enquadramento), aprendida das suas buscas recentes. Clique para recomeçar, por exemplo quando outra pessoa sinalizar.</translation>
    </message>
    <message>
        <source>Start the camera or open a video file (you can also drop one here).
Then press Record (R) and sign.</source>
        <translation>Ligue a câmera ou abra um arquivo de vídeo (também pode arrastá-lo para cá).
Depois pressione Gravar (R) e sinalize.</translation>
    </message>
    <message>
        <source>Your sign</source>
        <translation>Seu sinal</translation>
    </message>
    <message>
        <source>● Record (R)</source>
        <translation>● Gravar (R)</translation>
    </message>
    <message>
        <source>Start a 3-2-1 countdown and record; press again to stop</source>
        <translation>Conta 3-2-1 e grava; pressione de novo para parar</translation>
    </message>
    <message>
        <source>Add to gallery…</source>
        <translation>Adicionar à galeria…</translation>
    </message>
    <message>
        <source>Cancel reading</source>
        <translation>Cancelar leitura</translation>
    </message>
    <message>
        <source>Stop reading the opened video (Esc)</source>
        <translation>Parar de ler o vídeo aberto (Esc)</translation>
    </message>
    <message>
        <source>Hand motion over time; drag the shaded span to trim</source>
        <translation>Movimento das mãos ao longo do tempo; arraste a faixa sombreada para recortar</translation>
    </message>
    <message>
        <source>Trim start (frame)</source>
        <translation>Início do recorte (quadro)</translation>
    </message>
    <message>
        <source>Trim end (frame)</source>
        <translation>Fim do recorte (quadro)</translation>
    </message>
    <message>
        <source>Hand motion — trim from frame</source>
        <translation>Movimento das mãos — recortar do quadro</translation>
    </message>
    <message>
        <source>to</source>
        <translation>até</translation>
    </message>
    <message>
        <source>Best matches</source>
        <translation>Sinais mais parecidos</translation>
    </message>
    <message>
        <source>Choose a result to play it here, next to your sign.</source>
        <translation>Escolha um resultado para reproduzi-lo aqui, ao lado do seu sinal.</translation>
    </message>
    <message>
        <source>Chosen match</source>
        <translation>Resultado escolhido</translation>
    </message>
    <message>
        <source>Similarity of each result</source>
        <translation>Semelhança de cada resultado</translation>
    </message>
    <message>
        <source>Results appear here after a recording.</source>
        <translation>Os resultados aparecem aqui depois de uma gravação.</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Resultados</translation>
    </message>
    <message>
        <source>Recent look-ups</source>
        <translation>Consultas recentes</translation>
    </message>
    <message>
        <source>Recent look-ups: choose one to see it again</source>
        <translation>Consultas recentes: escolha uma para vê-la de novo</translation>
    </message>
    <message numerus="yes">
        <source>Adapted to you: %n look-up(s) ✕</source>
        <translation>
            <numerusform>Adaptado a você: %n busca ✕</numerusform>
            <numerusform>Adaptado a você: %n buscas ✕</numerusform>
        </translation>
    </message>
    <message>
        <source>Reading the video: frame %1 of %2</source>
        <translation>Lendo o vídeo: quadro %1 de %2</translation>
    </message>
    <message>
        <source>Reading the video: frame %1</source>
        <translation>Lendo o vídeo: quadro %1</translation>
    </message>
    <message>
        <source>● REC %1 s</source>
        <translation>● GRAVANDO %1 s</translation>
    </message>
    <message>
        <source>No camera found</source>
        <translation>Nenhuma câmera encontrada</translation>
    </message>
    <message>
        <source>Camera %1</source>
        <translation>Câmera %1</translation>
    </message>
    <message>
        <source>Open a sign video</source>
        <translation>Abrir um vídeo de sinal</translation>
    </message>
    <message>
        <source>Videos (%1)</source>
        <translation>Vídeos (%1)</translation>
    </message>
    <message>
        <source>● REC</source>
        <translation>● GRAVANDO</translation>
    </message>
    <message>
        <source>■ Stop (R)</source>
        <translation>■ Parar (R)</translation>
    </message>
    <message>
        <source>Reading the whole video, then searching…</source>
        <translation>Lendo o vídeo inteiro e depois buscando…</translation>
    </message>
    <message>
        <source>Recording… press R or Stop when you have finished the sign.</source>
        <translation>Gravando… pressione R ou Parar quando terminar o sinal.</translation>
    </message>
    <message>
        <source>Best match: %1. Click a result (or use the arrow keys) to play it.</source>
        <translation>Mais parecido: %1. Clique num resultado (ou use as setas) para reproduzi-lo.</translation>
    </message>
    <message>
        <source>The gallery is empty: add signs in the Gallery tab.</source>
        <translation>A galeria está vazia: adicione sinais na aba Galeria.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Configurações</translation>
    </message>
    <message>
        <source>No camera found</source>
        <translation>Nenhuma câmera encontrada</translation>
    </message>
    <message>
        <source>Camera %1</source>
        <translation>Câmera %1</translation>
    </message>
    <message>
        <source>I sign with my left hand (mirror my signs)</source>
        <translation>Sinalizo com a mão esquerda (espelhar meus sinais)</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Procurar…</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>Igual ao sistema</translation>
    </message>
    <message>
        <source>&amp;Camera:</source>
        <translation>&amp;Câmera:</translation>
    </message>
    <message>
        <source>&amp;Results shown:</source>
        <translation>&amp;Resultados exibidos:</translation>
    </message>
    <message>
        <source>Count&amp;down:</source>
        <translation>Contagem &amp;regressiva:</translation>
    </message>
    <message>
        <source>&amp;Gallery folder:</source>
        <translation>Pasta da &amp;galeria:</translation>
    </message>
    <message>
        <source>&amp;Language (after restart):</source>
        <translation>&amp;Idioma (após reiniciar):</translation>
    </message>
    <message>
        <source>Gallery folder</source>
        <translation>Pasta da galeria</translation>
    </message>
</context>
<context>
    <name>Splash</name>
    <message>
        <source>Loading models…</source>
        <translation>Carregando modelos…</translation>
    </message>
</context>
<context>
    <name>VideoView</name>
    <message>
        <source>left hand</source>
        <extracomment>Show the picture and skeleton left-right mirrored (to sign along with a clip).</extracomment>
        <translation>mão esquerda</translation>
    </message>
    <message>
        <source>right hand</source>
        <translation>mão direita</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <source>{0} is {1} s long; a query is one sign (most last 1-8 s): trim it to the sign, at most {2} s, and search again.</source>
        <translation>{0} tem {1} s; uma busca é um sinal só (a maioria dura de 1 a 8 s): corte o vídeo no sinal, com no máximo {2} s, e busque de novo.</translation>
    </message>
    <message>
        <source>The camera stopped sending pictures. Check the cable or close other apps using it.</source>
        <translation>A câmera parou de enviar imagens. Verifique o cabo ou feche outros programas que a usam.</translation>
    </message>
    <message>
        <source>No camera was found. Connect a camera, or open a video file instead.</source>
        <translation>Nenhuma câmera foi encontrada. Conecte uma câmera ou abra um arquivo de vídeo.</translation>
    </message>
    <message>
        <source>The file could not be found: {0}</source>
        <translation>O arquivo não foi encontrado: {0}</translation>
    </message>
    <message>
        <source>This file could not be read as a video. Try an MP4, AVI or MOV file.</source>
        <translation>Este arquivo não pôde ser lido como vídeo. Tente um arquivo MP4, AVI ou MOV.</translation>
    </message>
    <message>
        <source>No person was found in the video. Make sure your upper body is in view.</source>
        <translation>Nenhuma pessoa foi encontrada no vídeo. Deixe a parte de cima do corpo visível.</translation>
    </message>
    <message>
        <source>The recording is too short. Sign for at least one second.</source>
        <translation>A gravação é curta demais. Sinalize por pelo menos um segundo.</translation>
    </message>
    <message>
        <source>The pose model (MediaPipe) is missing from this installation, so signs cannot be read.</source>
        <translation>O modelo de pose (MediaPipe) não está nesta instalação, então os sinais não podem ser lidos.</translation>
    </message>
    <message>
        <source>The text model is missing from this installation, so glosses cannot be looked up.</source>
        <translation>O modelo de texto não está nesta instalação, então não é possível consultar glosas.</translation>
    </message>
    <message>
        <source>A model file of this installation is damaged or does not match: {0}</source>
        <translation>Um arquivo de modelo desta instalação está danificado ou não corresponde: {0}</translation>
    </message>
    <message>
        <source>The gallery could not be used: {0}</source>
        <translation>Não foi possível usar a galeria: {0}</translation>
    </message>
    <message>
        <source>The text is too long: type one sentence of at most {0} characters.</source>
        <translation>O texto é longo demais: digite uma frase de no máximo {0} caracteres.</translation>
    </message>
    <message>
        <source>Type a sentence in Portuguese (words, not only symbols).</source>
        <translation>Digite uma frase em português (palavras, não só símbolos).</translation>
    </message>
</context>
</TS>
